// The einhorn command client (@einhorn/client's connectEinhorn) as the benchmark uses it.
import { connectEinhorn } from '@einhorn/client';
import { sleep } from './stats.mjs';

/** The `state` document (einhorn's field names, einhorn-node's JSON form). */
export async function readState(client) {
  const [reply] = await client.requestMessage({ command: 'state', id: 1, format: 'json' });
  return JSON.parse(reply.message).state;
}

/** Live workers of `state` as `{ pid, version, acked }`. */
export const childrenOf = (state) => Object.values(state.children);

/** Connects, retrying while the master is still creating its socket. */
export async function connectWhenUp(path, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connectEinhorn({ path, timeoutMs: 60_000 });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

/** Polls `state` until `predicate(state)` holds; returns that state. */
export async function waitForState(
  client,
  predicate,
  { timeoutMs = 30_000, intervalMs = 20 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readState(client);
    if (predicate(state)) return state;
    if (Date.now() > deadline)
      throw new Error(`The master's state never matched: ${JSON.stringify(state)}`);
    await sleep(intervalMs);
  }
}

/** `count` ACKed workers, all of the current version, none in `exclude`. */
export const fullyUp =
  (count, exclude = []) =>
  (state) => {
    const children = childrenOf(state);
    return (
      children.length === count &&
      children.every(
        (child) => child.acked && child.version === state.version && !exclude.includes(child.pid),
      )
    );
  };
