// Tests only: reads a socket's real backlog with iproute2's `ss`, to check what the SDK applied.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Where iproute2 installs `ss`; absolute paths only, so `PATH` cannot substitute another program. */
const SS_CANDIDATES = ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'] as const;

const SS_TIMEOUT_MS = 2000;

function findSs(): string | undefined {
  return SS_CANDIDATES.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Finds the accept-queue limit (Send-Q of a LISTEN socket) of the socket with this inode in
 * the output of `ss -l -n -t -x -e` (the header line is skipped). TCP lines carry `ino:<inode>`; UNIX lines carry the
 * inode in the local-address column (`<path> <inode>`), before the peer `* 0`.
 */
export function findBacklogInSsOutput(output: string, inode: number): number | undefined {
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== 'LISTEN') continue;
    const sendQ = Number(fields[3]);
    const isTcp = fields[0] === 'tcp' && fields.includes(`ino:${inode}`);
    const unix = fields[0] === 'u_str' ? /\s(\d+)\s+\*\s+0(?:\s|$)/.exec(line) : null;
    if ((isTcp || unix?.[1] === String(inode)) && Number.isInteger(sendQ) && sendQ >= 0)
      return sendQ;
  }
  return undefined;
}

/**
 * Reads the backlog currently applied to a listening socket, identified by inode, from the
 * kernel's sock_diag interface through iproute2's `ss`. `/proc/net/tcp` does not show it.
 * Resolves `undefined` when it cannot be known: not Linux, no `ss`, `ss` failed or timed out,
 * or the socket is not (yet) listening.
 */
export async function readKernelBacklog(inode: number): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  const ss = findSs();
  if (ss === undefined) return undefined;
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(
      ss,
      ['-l', '-n', '-t', '-x', '-e'],
      { env: { LC_ALL: 'C' }, timeout: SS_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        resolve(error === null ? stdout : undefined);
      },
    );
  });
  return output === undefined ? undefined : findBacklogInSsOutput(output, inode);
}
