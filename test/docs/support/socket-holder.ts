// Drives test/helpers/systemd-socket-holder.mjs (systemd's part in socket activation) for the
// deploy test: it binds, reports the port, and starts/restarts the service command on request.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { testNode } from '../../helpers/spawn-fixture.ts';
import { REPO } from './repo.ts';

type HolderMessage =
  | { readonly type: 'bound'; readonly port: number }
  | { readonly type: 'started'; readonly pid: number }
  | { readonly type: 'exited'; readonly pid: number };

export interface SocketHolder {
  readonly port: number;
  send(message: { readonly type: 'restart' | 'stop' }): void;
  /** Waits for the next start of the service to print `ready`; its pid and output since then. */
  started(ready: RegExp): Promise<{ pid: number; output: string }>;
  /** Stops the service (KillSignal) and the holder. */
  stop(): Promise<void>;
}

/** Starts the holder on 127.0.0.1 (free port); `command(port)` is the service's command line. */
export async function startSocketHolder(
  fdName: string,
  killSignal: string,
  command: (port: number) => readonly string[],
): Promise<SocketHolder> {
  const child = spawn(
    testNode,
    [join(REPO, 'test/helpers/systemd-socket-holder.mjs'), '127.0.0.1', '0', fdName, killSignal],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const messages: HolderMessage[] = [];
  child.on('message', (message: HolderMessage) => messages.push(message));
  const closed = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const wait = <T>(find: () => T | undefined): Promise<T> =>
    vi.waitFor(
      () => {
        const found = find();
        if (found === undefined) throw new Error(`holder not there yet:\n${output}`);
        return found;
      },
      { timeout: 30_000, interval: 20 },
    );
  const bound = await wait(() =>
    messages.find((m): m is Extract<HolderMessage, { type: 'bound' }> => m.type === 'bound'),
  );
  const { port } = bound;
  let starts = 0;
  child.send({ type: 'start', command: command(port) });
  return {
    port,
    send: (message) => child.send(message),
    async started(ready) {
      starts += 1;
      const nth = starts;
      const { pid } = await wait(
        () =>
          messages.filter(
            (m): m is Extract<HolderMessage, { type: 'started' }> => m.type === 'started',
          )[nth - 1],
      );
      const since = (): string => {
        const from = output.indexOf(`[MASTER ${pid}]`);
        return from < 0 ? '' : output.slice(from);
      };
      await wait(() => (ready.test(since()) ? true : undefined));
      return { pid, output: since() };
    },
    async stop() {
      child.send({ type: 'stop' });
      await closed;
    },
  };
}
