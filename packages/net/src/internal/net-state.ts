import type { ConnectionTracker } from '../types.ts';

/**
 * A tracker's method to run a callback when its drain starts (at once when it has started):
 * `tracker[ON_DRAIN_START](callback)`. Keyed by a registered symbol, so that helpers from
 * another copy of `@einhorn/net` in the process find it; not part of the public API.
 */
export const ON_DRAIN_START: unique symbol = Symbol.for('einhorn.net.onDrainStart');

/** Process-wide, shared by every copy of `@einhorn/net` loaded in this process. */
const STATE_KEY = Symbol.for('einhorn.net.state');

export interface NetProcessState {
  /** `serve()` handles currently draining. */
  draining: number;
  /** The tracker of each server, so that `trackConnections(server)` and `serve(server)` share one. */
  readonly trackers: WeakMap<object, ConnectionTracker>;
}

type GlobalWithState = typeof globalThis & { [STATE_KEY]?: NetProcessState };

export function netState(): NetProcessState {
  const holder = globalThis as GlobalWithState;
  let state = holder[STATE_KEY];
  if (state === undefined) {
    state = { draining: 0, trackers: new WeakMap() };
    Object.defineProperty(holder, STATE_KEY, {
      value: state,
      enumerable: false,
      configurable: true,
      writable: false,
    });
  }
  return state;
}
