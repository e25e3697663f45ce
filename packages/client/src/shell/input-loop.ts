import { createInterface, type Interface } from 'node:readline';
import { HISTORY_LIMIT, loadHistory, saveHistory } from './history.ts';
import type { LineResult } from './session.ts';

/** Settings of {@link runInputLoop}. */
export interface InputLoopOptions {
  /** Where lines come from (stdin). */
  readonly input: NodeJS.ReadableStream;
  /** Runs one line; `quit` ends the loop. */
  readonly runLine: (line: string) => Promise<LineResult>;
  /** Aborting it ends the loop (SIGINT). */
  readonly signal: AbortSignal;
  /**
   * Interactive prompt: `> ` and line editing on `output`, history in `historyPath`, and ^C
   * reported through `onInterrupt`. Absent for piped input.
   */
  readonly prompt?: {
    readonly output: NodeJS.WritableStream;
    readonly historyPath: string | undefined;
    readonly onInterrupt: () => void;
    /** readline's terminal mode (line editing, history). @default output.isTTY */
    readonly terminal?: boolean;
  };
}

async function openInterface(options: InputLoopOptions): Promise<Interface> {
  const { input, prompt } = options;
  if (prompt === undefined) return createInterface({ input, crlfDelay: Infinity, terminal: false });
  const history = prompt.historyPath === undefined ? [] : await loadHistory(prompt.historyPath);
  const rl = createInterface({
    input,
    output: prompt.output,
    prompt: '> ',
    history,
    historySize: HISTORY_LIMIT,
    ...(prompt.terminal === undefined ? {} : { terminal: prompt.terminal }),
  });
  rl.on('SIGINT', prompt.onInterrupt);
  const { historyPath } = prompt;
  if (historyPath !== undefined) {
    let saving = Promise.resolve();
    rl.on('history', (lines: string[]) => {
      const snapshot = [...lines];
      saving = saving.then(() => saveHistory(historyPath, snapshot)); // one write at a time, in order
    });
  }
  return rl;
}

/**
 * Reads lines one at a time and runs each after the previous one finished, like einhornsh's
 * `Readline.readline` loop. Ends on EOF, `quit`/`exit`, an aborted signal, or (for piped input
 * only) an invalid line.
 *
 * @param options - Input, the line runner and the prompt settings.
 * @returns `invalid` when piped input stopped on an invalid line, otherwise `continue`.
 */
export async function runInputLoop(options: InputLoopOptions): Promise<LineResult> {
  const { signal, runLine, prompt } = options;
  if (signal.aborted) return 'continue';
  const rl = await openInterface(options);
  const state = { closed: false };
  rl.once('close', () => {
    state.closed = true;
  });
  const stop = (): void => {
    rl.close();
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (prompt !== undefined) rl.prompt();
    for await (const line of rl) {
      const result = await runLine(line);
      if (result === 'quit') return 'continue';
      if (result === 'invalid' && prompt === undefined) return 'invalid';
      if (options.signal.aborted) break;
      if (prompt !== undefined && !state.closed) rl.prompt();
    }
    return 'continue';
  } finally {
    signal.removeEventListener('abort', stop);
    rl.close();
  }
}
