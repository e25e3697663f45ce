import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { unescapeLine } from '@einhorn/core';
import { EINHORN_DEFAULT_BACKLOG, backlogFromArgv } from './master-argv.ts';

/** Where a backlog came from; see `ListenOnFdOptions.backlog`. */
export type MasterBacklog =
  | { readonly backlog: number; readonly source: 'command-line' | 'state' }
  | { readonly backlog: undefined; readonly source: 'unknown' };

const STATE_TIMEOUT_MS = 2000;
const MAX_STATE_BYTES = 4 * 1024 * 1024;

function readArgv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/** `config.backlog` in a `state` reply: Psych's `:backlog: 7` (Ruby einhorn) or JSON `"backlog":7`. */
export function backlogFromState(message: string): number | undefined {
  const match =
    /^\s*:backlog: (\d{1,10})\s*$/m.exec(message) ?? /"backlog":(\d{1,10})\b/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Asks the master for its `state` and reads `config.backlog` from it (one command-socket round trip). */
function askState(path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    let buffer = '';
    const finish = (backlog: number | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(backlog);
    };
    const timer = setTimeout(() => {
      finish(undefined);
    }, STATE_TIMEOUT_MS);
    socket.once('error', () => {
      finish(undefined);
    });
    socket.once('close', () => {
      finish(undefined);
    });
    socket.once('connect', () => socket.write('{"command":"state","id":1}\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) finish(backlogFromState(unescapeLine(buffer.slice(0, end))));
      else if (buffer.length > MAX_STATE_BYTES) finish(undefined);
    });
  });
}

/**
 * The listen backlog the Einhorn master applied to its sockets, without running any program:
 * einhorn-node's command line (`/proc/<master>/cmdline`, a few microseconds) names it with `-l`
 * or leaves einhorn's default of 100. The Ruby einhorn rewrites its command line to
 * `einhorn: <program>` before it spawns workers, so there the value comes from one `state`
 * request on the command socket (about a millisecond), and is einhorn's default when that fails.
 * `unknown` when the master is not einhorn, or `/proc` is not there (not Linux).
 */
export async function readMasterBacklog(
  masterPid: number,
  sockPath: string | undefined,
): Promise<MasterBacklog> {
  if (process.platform !== 'linux') return { backlog: undefined, source: 'unknown' };
  const argv = readArgv(masterPid);
  if (argv === undefined) return { backlog: undefined, source: 'unknown' };
  const fromArgv = backlogFromArgv(argv);
  if (fromArgv.kind === 'known') return { backlog: fromArgv.backlog, source: 'command-line' };
  if (fromArgv.kind === 'unknown') return { backlog: undefined, source: 'unknown' };
  const fromState = sockPath === undefined ? undefined : await askState(sockPath);
  return { backlog: fromState ?? EINHORN_DEFAULT_BACKLOG, source: 'state' };
}
