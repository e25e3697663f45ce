// `--name value` and `--flag` arguments of the server launchers.
export function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--')) throw new Error(`Unexpected argument "${key}".`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[key.slice(2)] = true;
    else args[key.slice(2)] = argv[++i];
  }
  return args;
}

/** Reports a fatal start-up error on stderr and exits 1. */
export function fail(error) {
  process.stderr.write(`[bench server ${process.pid}] ${error?.stack ?? String(error)}\n`);
  process.exit(1);
}
