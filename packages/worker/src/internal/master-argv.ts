/** einhorn's short options that take a value (bin/einhorn:191-332; einhorn-node has the same). */
const SHORT_WITH_VALUE = new Set(['b', 'c', 'd', 'e', 'f', 'l', 'm', 'n', 'p', 's', 't']);

/** einhorn's long options that take a value when not written `--name=value`. */
const LONG_WITH_VALUE = new Set([
  'bind',
  'command-name',
  'socket-path',
  'pidfile',
  'lockfile',
  'backlog',
  'ack-mode',
  'number',
  'preload',
  'seconds',
  'signal-timeout',
  'max-unacked',
  'max-upgrade-additional',
  'drop-env-var',
  'reexec-as',
  'nice',
  'with-state-fd',
  // einhorn-node's own
  'ack-timeout',
  'graceful-signal',
  'log-format',
  'ping-timeout',
  'max-failed-starts',
]);

/** What a master's command line says about the listen backlog. */
export type ArgvBacklog =
  /** The command line names the backlog, or is an einhorn command line without `-l` (default 100). */
  | { readonly kind: 'known'; readonly backlog: number }
  /** The Ruby einhorn rewrote its command line to `einhorn: <program>` (`$0 =`), so `-l` is gone. */
  | { readonly kind: 'rewritten' }
  /** Not an einhorn command line. */
  | { readonly kind: 'unknown' };

/** einhorn's and einhorn-node's default for `-l`. */
export const EINHORN_DEFAULT_BACKLOG = 100;

const RUBY_TITLE = 'einhorn: ';

function parseBacklog(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Reads `-l N` / `--backlog N` from a master's argv (as `/proc/<pid>/cmdline` gives it, split
 * on NUL). Options end at `--` or at the first argument that is not an option, as einhorn's
 * `optparse.order!` does. The einhorn program is the first argument whose file name contains
 * `einhorn` (`/usr/local/bin/einhorn` after `ruby`, or `einhorn-node` after `node`).
 */
export function backlogFromArgv(argv: readonly string[]): ArgvBacklog {
  if (argv[0]?.startsWith(RUBY_TITLE) === true) return { kind: 'rewritten' };
  const program = argv.findIndex((arg) => /einhorn[^/]*$/i.test(arg) && !arg.startsWith('-'));
  if (program < 0) return { kind: 'unknown' };
  let backlog: number | undefined;
  for (let i = program + 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const value =
        eq < 0 ? (LONG_WITH_VALUE.has(name) ? argv[++i] : undefined) : arg.slice(eq + 1);
      if (name === 'backlog') backlog = parseBacklog(value) ?? backlog;
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j] ?? '';
      if (!SHORT_WITH_VALUE.has(flag)) continue;
      const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
      if (flag === 'l') backlog = parseBacklog(value) ?? backlog;
      break;
    }
  }
  return { kind: 'known', backlog: backlog ?? EINHORN_DEFAULT_BACKLOG };
}
