import { readFileSync } from 'node:fs';

/** The parent of `pid` from `/proc/<pid>/stat`, or `undefined` when it cannot be read. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // `pid (comm) state ppid …`: comm may contain spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** The command line of `pid`, joined with spaces, or `undefined` when it cannot be read. */
export function commandLineOf(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '');
    return raw === '' ? undefined : raw.split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that starts this very process directly: the Node binary, its options (a
 * loader such as tsx's `--import`), the script and its arguments. What to give the master
 * instead of a wrapper.
 */
export function ownCommandLine(): string {
  return [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
    .map(shellQuote)
    .join(' ');
}

/** How many ancestors up to look for the master behind wrappers (`npm` → `sh` → `node`). */
const MAX_WRAPPER_DEPTH = 4;

/**
 * The processes between the master and this one, nearest first, when the master is an
 * ancestor within {@link MAX_WRAPPER_DEPTH} generations; `undefined` when it is not (or `/proc`
 * cannot tell).
 */
export function wrappersBelow(masterPid: number, ppid: number): number[] | undefined {
  const chain: number[] = [];
  let current: number | undefined = ppid;
  while (current !== undefined && current !== masterPid && chain.length < MAX_WRAPPER_DEPTH) {
    chain.push(current);
    current = parentOf(current);
  }
  return current === masterPid ? chain : undefined;
}
