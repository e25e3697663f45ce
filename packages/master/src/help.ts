/**
 * Einhorn's command descriptions, word for word from einhorn's `command NAME, DESCRIPTION`
 * registrations (lib/einhorn/command/interface.rb, 0.8.2 and 1.x). `worker:ack`, `worker:ping`
 * and `ehlo` are registered without a description there, so they never appear in help.
 */
export const COMMAND_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  config:
    'Merge in a new set of config options. (Note: this will likely be subsumed by config file reloading at some point.)',
  dec: 'Decrement the number of Einhorn child processes',
  die: 'Send SIGNAL (default: SIGUSR2) to all workers, stop spawning new ones, and exit once all workers die (args: [SIGNAL])',
  help: 'Print out available commands',
  inc: 'Increment the number of Einhorn child processes',
  louder: 'Increase verbosity',
  quieter: 'Decrease verbosity',
  reload: 'Reload Einhorn',
  set_workers: 'Set the number of Einhorn child processes',
  signal: 'Send one or more signals to all workers (args: SIG1 [SIG2 ...])',
  state: "Get a dump of Einhorn's current state",
  upgrade:
    'Upgrade all Einhorn workers smoothly. This causes Einhorn to reload its own code as well.',
  upgrade_fleet:
    'Upgrade all Einhorn workers a fleet at a time. This causes Einhorn to reload its own code as well.',
});

/** Code-unit order, as Ruby's `sort_by { |name, _| name }` compares strings byte by byte. */
function byName(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The list einhorn prints in `help` and after `Unrecognized command`.
 *
 * @returns One `NAME: DESCRIPTION` line per described command, sorted by name, joined with `\n`
 *   (no trailing newline).
 * @example
 * helpList().split('\n')[0]; // 'config: Merge in a new set of config options. (...)'
 */
export function helpList(): string {
  return Object.keys(COMMAND_DESCRIPTIONS)
    .sort(byName)
    .map((name) => `${name}: ${COMMAND_DESCRIPTIONS[name] ?? ''}`)
    .join('\n');
}

/**
 * The exact `help` reply of einhorn.
 *
 * @returns The introduction line, an empty line, `helpList()` and a final newline.
 * @example
 * connection.send(helpMessage(), request.id);
 */
export function helpMessage(): string {
  return `You are speaking to the Einhorn command socket. You can run the following commands:\n\n${helpList()}\n`;
}

/**
 * The exact reply einhorn gives to a command it does not know (check 16, 19).
 *
 * @param quotedName - The command name as Ruby's `inspect` prints it, quotes included
 *   (see `rubyInspect` in the command server).
 * @returns `Unrecognized command: NAME`, an empty line, `helpList()` and a final newline.
 * @example
 * unrecognizedCommandMessage('"bogus"'); // 'Unrecognized command: "bogus"\n\nconfig: ...\n'
 */
export function unrecognizedCommandMessage(quotedName: string): string {
  return `Unrecognized command: ${quotedName}\n\n${helpList()}\n`;
}
