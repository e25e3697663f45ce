/**
 * Process-wide worker state, shared by every copy of `@einhorn/worker` loaded in this process
 * (the ESM and CJS builds can both be loaded at once). It lives on `globalThis` under a
 * `Symbol.for` key so that "has the ACK been sent?" and "which shutdown handlers exist?" have
 * one answer per process, not one per module copy.
 */

import type { AckResult } from '../types.ts';

const STATE_KEY = Symbol.for('einhorn.worker.state');

/** The layout below; a future incompatible layout bumps it so that it can recognise an older copy. */
const STATE_VERSION = 1;

/** One `onGracefulShutdown` registration. */
export interface ShutdownRegistration {
  readonly handler: (event: ShutdownEventData) => void | Promise<void>;
  readonly signals: readonly NodeJS.Signals[];
  readonly timeoutMs: number;
  readonly exit: boolean;
  readonly onTimeout: ((timeoutMs: number) => void) | undefined;
}

/** What a shutdown handler receives; mirrors the public `ShutdownEvent`. */
export interface ShutdownEventData {
  readonly signal: NodeJS.Signals;
  readonly deadline: number;
  readonly abortSignal: AbortSignal;
}

/** A shutdown in progress: started by the first handled signal. */
export interface ShutdownEpisode {
  readonly signal: NodeJS.Signals;
  readonly startedAt: number;
  readonly controllers: AbortController[];
  forced: boolean;
}

/** An installed `process.on(signal)` listener and how many registrations use it. */
export interface SignalListener {
  readonly listener: (signal: NodeJS.Signals) => void;
  refs: number;
}

export interface WorkerProcessState {
  readonly version: number;
  /** The ACK in flight or sent; cleared when it fails so that a later call can retry. */
  ack: Promise<AckResult> | undefined;
  readonly registrations: Set<ShutdownRegistration>;
  readonly listeners: Map<NodeJS.Signals, SignalListener>;
  episode: ShutdownEpisode | undefined;
}

type GlobalWithState = typeof globalThis & { [STATE_KEY]?: WorkerProcessState };

/** Returns this process's worker state, creating it on first use (never at import time). */
export function processState(): WorkerProcessState {
  const holder = globalThis as GlobalWithState;
  let state = holder[STATE_KEY];
  if (state === undefined) {
    state = {
      version: STATE_VERSION,
      ack: undefined,
      registrations: new Set(),
      listeners: new Map(),
      episode: undefined,
    };
    Object.defineProperty(holder, STATE_KEY, {
      value: state,
      enumerable: false,
      configurable: true,
      writable: false,
    });
  }
  return state;
}
