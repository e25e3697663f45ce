import type { Master } from '../types.ts';

/** Options of {@link handleMasterSignals}. */
export interface MasterSignalOptions {
  /** Receives one line per handled signal, for the CLI's log. @default no-op */
  readonly log?: (level: 'info' | 'error', message: string) => void;
  /** Called on QUIT, just before the master stops without waiting; the CLI exits 1 then. @default no-op */
  readonly onQuit?: () => void;
}

/**
 * Installs einhorn's master signal handlers on `process` and returns a function that removes
 * them. INT/USR2: graceful stop (workers get the shutdown signal, exit once they are gone).
 * TERM: workers get TERM. QUIT: workers get QUIT and the master stops without waiting (einhorn
 * exits 1 at once). HUP: smooth upgrade. TTIN/TTOU: one worker more/less (einhorn has no handler
 * and gets suspended). USR1, ALRM, WINCH, PIPE: logged or ignored, never fatal (einhorn dies on USR1).
 *
 * @example
 * ```ts
 * const master = createMaster({ command: 'node', args: ['server.js'], bind: ['127.0.0.1:8080'] });
 * const uninstall = handleMasterSignals(master, { onQuit: () => process.exit(1) });
 * await master.start();
 * await master.closed;
 * uninstall();
 * ```
 */
export function handleMasterSignals(master: Master, options: MasterSignalOptions = {}): () => void {
  const log = options.log ?? (() => undefined);
  const swallow = (promise: Promise<unknown>): void => {
    promise.catch((error: unknown) => {
      log('error', error instanceof Error ? error.message : String(error));
    });
  };
  const resize = (delta: 1 | -1): void => {
    const target = master.state.workersTarget;
    if (delta < 0 && target <= 1) {
      log(
        'error',
        `Can't decrease number of workers (already at ${target}).  Run kill ${process.pid} if you really want to kill einhorn.`,
      );
      return;
    }
    try {
      master.setWorkers(target + delta);
    } catch (error) {
      log('error', error instanceof Error ? error.message : String(error));
    }
  };
  const received = (signal: NodeJS.Signals, action: string): void => {
    log('info', `Received ${signal}: ${action}`);
  };
  const stopGracefully = (signal: NodeJS.Signals): void => {
    received(signal, 'stopping; workers get the graceful signal; exiting once they are gone.');
    swallow(master.stop());
  };
  const handlers: Partial<Record<NodeJS.Signals, () => void>> = {
    SIGINT: () => {
      stopGracefully('SIGINT');
    },
    SIGUSR2: () => {
      stopGracefully('SIGUSR2');
    },
    SIGTERM: () => {
      received('SIGTERM', 'stopping; workers get SIGTERM; exiting once they are gone.');
      swallow(master.stop({ signal: 'SIGTERM' }));
    },
    SIGQUIT: () => {
      received('SIGQUIT', 'workers get SIGQUIT; exiting now without waiting for them.');
      options.onQuit?.();
      swallow(master.stop({ signal: 'SIGQUIT', wait: false }));
    },
    SIGHUP: () => {
      received('SIGHUP', 'starting a smooth upgrade, as the "upgrade" command does.');
      swallow(master.upgrade({ mode: 'smooth' }));
    },
    SIGTTIN: () => {
      received('SIGTTIN', 'one worker more.');
      resize(1);
    },
    SIGTTOU: () => {
      received('SIGTTOU', 'one worker less.');
      resize(-1);
    },
    SIGUSR1: () => {
      log('info', 'Received SIGUSR1; einhorn-node ignores it (the Ruby einhorn would die here).');
    },
    SIGALRM: () => {
      log('info', 'Received SIGALRM; ignored. Use HUP or the upgrade command to upgrade.');
    },
    SIGWINCH: () => undefined,
    SIGPIPE: () => undefined,
  };
  const installed = Object.entries(handlers) as [NodeJS.Signals, () => void][];
  for (const [signal, handler] of installed) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of installed) process.off(signal, handler);
  };
}
