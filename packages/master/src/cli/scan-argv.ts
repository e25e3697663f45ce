/** One command-line option. */
export interface CliFlag {
  /** Key in the scan result. */
  readonly key: string;
  readonly short?: string;
  readonly long: string;
  /** Takes a value (`-b X`, `-bX`, `--bind X`, `--bind=X`). */
  readonly value?: 'single' | 'multi';
  /** Refused with this explanation (einhorn options with no einhorn-node meaning). */
  readonly unsupported?: string;
}

/** einhorn's options (bin/einhorn:191-332) plus einhorn-node's own. */
export function defineCliFlags(): readonly CliFlag[] {
  return [
    { key: 'bind', short: 'b', long: 'bind', value: 'multi' },
    { key: 'name', short: 'c', long: 'command-name', value: 'single' },
    { key: 'socketPath', short: 'd', long: 'socket-path', value: 'single' },
    { key: 'pidfile', short: 'e', long: 'pidfile', value: 'single' },
    { key: 'lockfile', short: 'f', long: 'lockfile', value: 'single' },
    { key: 'commandSocketAsFd', short: 'g', long: 'command-socket-as-fd' },
    { key: 'help', short: 'h', long: 'help' },
    { key: 'killChildrenOnExit', short: 'k', long: 'kill-children-on-exit' },
    { key: 'backlog', short: 'l', long: 'backlog', value: 'single' },
    { key: 'ackMode', short: 'm', long: 'ack-mode', value: 'single' },
    { key: 'number', short: 'n', long: 'number', value: 'single' },
    { key: 'quiet', short: 'q', long: 'quiet' },
    { key: 'seconds', short: 's', long: 'seconds', value: 'single' },
    { key: 'signalTimeout', short: 't', long: 'signal-timeout', value: 'single' },
    { key: 'verbose', short: 'v', long: 'verbose' },
    { key: 'maxUnacked', long: 'max-unacked', value: 'single' },
    { key: 'maxUpgradeAdditional', long: 'max-upgrade-additional', value: 'single' },
    { key: 'dropEnvVar', long: 'drop-env-var', value: 'multi' },
    { key: 'reexecAs', long: 'reexec-as', value: 'multi' },
    { key: 'version', long: 'version' },
    { key: 'ackTimeout', long: 'ack-timeout', value: 'single' },
    { key: 'gracefulSignal', long: 'graceful-signal', value: 'single' },
    { key: 'logFormat', long: 'log-format', value: 'single' },
    { key: 'pingTimeout', long: 'ping-timeout', value: 'single' },
    { key: 'maxFailedStarts', long: 'max-failed-starts', value: 'single' },
    { key: 'preload', short: 'p', long: 'preload', value: 'single' },
    {
      key: 'nice',
      long: 'nice',
      value: 'single',
      unsupported: 'is not supported; start einhorn-node under nice(1) instead',
    },
    { key: 'gcBeforeFork', long: 'gc-before-fork', unsupported: 'only applies to Ruby preloading' },
    { key: 'withStateFd', long: 'with-state-fd', value: 'single' },
    { key: 'upgradeCheck', long: 'upgrade-check' },
  ];
}

/** The scanner's result: option values, flag counts, and the program with its arguments. */
export interface ScanResult {
  readonly values: {
    readonly single: Record<string, string>;
    readonly multi: Record<string, string[]>;
  };
  readonly flags: Map<string, number>;
  readonly rest: readonly string[];
  readonly error?: string;
}

/**
 * Splits argv like Ruby's optparse `order!`: options until `--` or the first non-option word.
 * Returns `error` (never throws) for unknown options, missing values and unsupported options.
 */
export function scanArgv(argv: readonly string[], defs: readonly CliFlag[]): ScanResult {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const flags = new Map<string, number>();
  const fail = (error: string): ScanResult => ({
    values: { single, multi },
    flags,
    rest: [],
    error,
  });
  const store = (def: CliFlag, value: string | undefined, shown: string): string | undefined => {
    if (def.unsupported !== undefined) return `${shown} ${def.unsupported}`;
    if (def.value === undefined) {
      if (value !== undefined) return `${shown} takes no value`;
      flags.set(def.key, (flags.get(def.key) ?? 0) + 1);
      return undefined;
    }
    if (value === undefined) return `${shown} needs a value`;
    if (def.value === 'multi') (multi[def.key] ??= []).push(value);
    else single[def.key] = value;
    return undefined;
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return { values: { single, multi }, flags, rest: argv.slice(i + 1) };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const def = defs.find((candidate) => candidate.long === name);
      if (!def) return fail(`Unknown option --${name}`);
      let value = eq >= 0 ? arg.slice(eq + 1) : undefined;
      if (def.value !== undefined && value === undefined) value = argv[++i];
      const error = store(def, value, `--${name}`);
      if (error !== undefined) return fail(error);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg.charAt(j);
      const def = defs.find((candidate) => candidate.short === letter);
      if (!def) return fail(`Unknown option -${letter}`);
      if (def.value === undefined) {
        const error = store(def, undefined, `-${letter}`);
        if (error !== undefined) return fail(error);
        continue;
      }
      const attached = arg.slice(j + 1);
      const error = store(def, attached === '' ? argv[++i] : attached, `-${letter}`);
      if (error !== undefined) return fail(error);
      break;
    }
  }
  return { values: { single, multi }, flags, rest: argv.slice(i) };
}
