// Reads a listening socket's backlog (the Send-Q column of a LISTEN socket) with iproute2's
// `ss`, which gets it from the kernel's sock_diag; /proc/net/tcp does not show it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { HeldListener } from './fake-master.ts';

const SS = ['/usr/sbin/ss', '/sbin/ss', '/usr/bin/ss', '/bin/ss'].find((path) => existsSync(path));

/** Whether backlog assertions can run here (Linux with iproute2). */
export const canReadBacklog: boolean = process.platform === 'linux' && SS !== undefined;

/** The accept-queue limit the kernel currently applies to `listener`. */
export function listenBacklog(listener: HeldListener): number {
  if (SS === undefined) throw new Error('ss (iproute2) is not installed');
  const args =
    listener.kind === 'tcp' ? ['-l', '-n', '-t', `sport = :${listener.port}`] : ['-l', '-x'];
  const output = execFileSync(SS, args, { encoding: 'utf8', env: { LC_ALL: 'C' } });
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // -t: State Recv-Q Send-Q …; -x: Netid State Recv-Q Send-Q Local(path) …
    const offset = listener.kind === 'tcp' ? 0 : 1;
    if (fields[offset] !== 'LISTEN') continue;
    if (
      listener.kind === 'unix' &&
      !line.includes(` ${listener.path} `) &&
      !line.includes(listener.path.replace(/listener-(\d+)\.sock$/, 'bind-$1.sock'))
    )
      continue;
    return Number(fields[offset + 2]);
  }
  throw new Error(
    `ss shows no LISTEN socket for ${JSON.stringify(listener.connectOptions)}:\n${output}`,
  );
}
