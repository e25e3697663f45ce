// Finds einhorn-node / einhornsh-node command lines in documentation text and checks their
// options against the real `--help` of the built CLIs, so that the docs never show a flag that
// does not exist.

/** The options a CLI accepts, read from its `--help`. */
export interface CliFlags {
  /** Every `-x` and `--long` spelling. */
  readonly known: ReadonlySet<string>;
  /** The spellings that take a value (`-b ADDR`, `--bind ADDR`). */
  readonly takesValue: ReadonlySet<string>;
}

/**
 * Reads the option table of a `--help` text: lines that start with spaces and a dash, the
 * option part ending at the first run of two spaces. `-q, --quiet / -v, --verbose` lists two
 * options; a placeholder (`ADDR`, `text|json`) after any spelling means they all take a value.
 */
export function parseHelp(help: string): CliFlags {
  const known = new Set<string>();
  const takesValue = new Set<string>();
  for (const line of help.split('\n')) {
    if (!/^\s+-/.test(line)) continue;
    const optionPart = line.trim().split(/\s{2,}/)[0] ?? '';
    for (const group of optionPart.split(' / ')) {
      const items = group.split(/,\s*/).map((item) => item.trim().split(/\s+/));
      const hasValue = items.some((words) => words.length > 1);
      for (const [flag] of items) {
        if (!flag?.startsWith('-')) continue;
        known.add(flag);
        if (hasValue) takesValue.add(flag);
      }
    }
  }
  return { known, takesValue };
}

/** A command line found in a document. */
export interface Invocation {
  readonly program: 'einhorn-node' | 'einhornsh-node';
  /** The words after the program name, up to a shell operator or comment. */
  readonly words: readonly string[];
  /** Where it was found, for messages. */
  readonly where: string;
}

const PROGRAM =
  /(?<![\w./@-])(einhornsh-node|einhorn-node|@einhorn\/master\/dist\/cli\.js|@einhorn\/client\/dist\/shell-cli\.js)(?![\w.@-])/g;

/** Splits on whitespace, keeping quoted strings together (quotes removed). */
function words(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

/** Every einhorn-node / einhornsh-node invocation in `text` (one logical line each). */
export function findInvocations(text: string, where: string): Invocation[] {
  const found: Invocation[] = [];
  text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.matchAll(PROGRAM)) {
        const name = match[1] ?? '';
        const program =
          name === 'einhornsh-node' || name.endsWith('shell-cli.js')
            ? 'einhornsh-node'
            : 'einhorn-node';
        const rest = line.slice(match.index + name.length);
        const command = rest.split(/\s(?:\||&&|;|#)\s|[`|]/)[0] ?? '';
        found.push({ program, words: words(command), where: `${where}:${index + 1}` });
      }
    });
  return found;
}

/**
 * The options of `invocation` that `flags` does not know. Parsing stops at `--` and, for
 * einhorn-node, at the first word that is not an option (the program), as optparse's `order!`.
 */
export function unknownOptions(invocation: Invocation, flags: CliFlags): string[] {
  const unknown: string[] = [];
  const list = invocation.words;
  for (let i = 0; i < list.length; i++) {
    const word = list[i] ?? '';
    if (word === '--') break;
    if (!word.startsWith('-') || word === '-') {
      if (invocation.program === 'einhorn-node') break;
      continue; // einhornsh-node's positional NAME
    }
    if (word.startsWith('--')) {
      const [name = '', inline] = word.split('=', 2);
      if (!flags.known.has(name)) unknown.push(name);
      else if (inline === undefined && flags.takesValue.has(name)) i += 1;
      continue;
    }
    for (let c = 1; c < word.length; c++) {
      const flag = `-${word[c] ?? ''}`;
      if (!flags.known.has(flag)) {
        unknown.push(flag);
        break;
      }
      if (flags.takesValue.has(flag)) {
        if (c === word.length - 1) i += 1; // `-b X`; otherwise `-bX`
        break;
      }
    }
  }
  return unknown;
}
