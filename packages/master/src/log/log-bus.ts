import type { LogLevel, MasterLogEntry, MasterLogger } from '../types.ts';

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, error: 2 };

/** Verbosity as einhorn counts it: 0 shows debug, 1 info, 2 only errors. */
export type Verbosity = 0 | 1 | 2;

/** Clamps a number into einhorn's verbosity range. */
export function clampVerbosity(value: number): Verbosity {
  if (value <= 0) return 0;
  if (value >= 2) return 2;
  return 1;
}

/**
 * The master's log: lines at or above the verbosity go to the logger; lines tagged `upgrade`
 * also go to every tag listener whatever the verbosity (einhorn streams them to `upgrade` clients).
 */
export interface LogBus {
  debug(message: string, tag?: 'upgrade'): void;
  info(message: string, tag?: 'upgrade'): void;
  error(message: string, tag?: 'upgrade'): void;
  verbosity: Verbosity;
  /** Calls `listener` with each `upgrade`-tagged line; returns a remover. */
  onTagged(listener: (entry: MasterLogEntry) => void): () => void;
}

export function createLogBus(logger: MasterLogger | undefined, verbosity: Verbosity): LogBus {
  const listeners = new Set<(entry: MasterLogEntry) => void>();
  const bus: LogBus = {
    verbosity,
    debug: (message, tag) => {
      emit('debug', message, tag);
    },
    info: (message, tag) => {
      emit('info', message, tag);
    },
    error: (message, tag) => {
      emit('error', message, tag);
    },
    onTagged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  function emit(level: LogLevel, message: string, tag: 'upgrade' | undefined): void {
    const entry: MasterLogEntry = tag
      ? { level, message, tag, time: new Date() }
      : { level, message, time: new Date() };
    if (logger && LEVEL_RANK[level] >= bus.verbosity) {
      try {
        logger(entry);
      } catch {
        // A faulty logger must not take the master down.
      }
    }
    if (tag) for (const listener of [...listeners]) listener(entry);
  }
  return bus;
}
