import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { EinhornMasterError } from '@einhorn/core';

// The `-k` watchdog. Node has no PR_SET_PDEATHSIG, so a tiny detached process holds the read end
// of a pipe whose write end only the master holds. The master writes `+PID` / `-PID` lines as
// workers come and go. When the pipe reads EOF the master is gone (exit, crash or SIGKILL: the
// kernel closes its fds), and the reaper sends the shutdown signal to every worker still listed.
// It works for any worker program, not only Node ones, and needs no fd in the workers.
const REAPER_SOURCE = `
const signal = process.argv[1];
const pids = new Set();
let buffer = '';
function reap() {
  for (const pid of pids) { try { process.kill(pid, signal); } catch {} }
  process.exit(0);
}
for (const name of ['SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGPIPE']) process.on(name, () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') pids.add(pid); else if (line[0] === '-') pids.delete(pid);
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

/** The master's side of the reaper. */
export interface Reaper {
  readonly pid: number | undefined;
  add(pid: number): void;
  remove(pid: number): void;
  /** Closes the pipe: the reaper signals whatever is still listed, then exits. */
  close(): void;
}

/**
 * Starts the `-k` reaper; it outlives the master and signals listed workers when the master dies.
 * @throws EinhornMasterError ERR_EINHORN_SPAWN_FAILED when the reaper process cannot start
 */
export function startReaper(signal: NodeJS.Signals): Reaper {
  const child = spawn(process.execPath, ['-e', REAPER_SOURCE, signal], {
    stdio: ['pipe', 'ignore', 'inherit'],
    detached: true,
    env: {},
  });
  child.on('error', () => undefined);
  if (child.pid === undefined) {
    throw new EinhornMasterError(
      'ERR_EINHORN_SPAWN_FAILED',
      `Could not start the -k reaper with ${process.execPath}; without it workers would not be told when the master dies.`,
    );
  }
  child.unref();
  const stdin = child.stdin as Writable & { unref?: () => void };
  stdin.on('error', () => undefined);
  stdin.unref?.();
  const write = (line: string): void => {
    if (!stdin.destroyed && stdin.writable) stdin.write(line);
  };
  return {
    pid: child.pid,
    add: (pid) => {
      write(`+${pid}\n`);
    },
    remove: (pid) => {
      write(`-${pid}\n`);
    },
    close: () => {
      stdin.end();
    },
  };
}
