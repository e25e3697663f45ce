import type { FastifyInstance } from 'fastify';
import type { ServeHandle } from '@einhorn/net';
import type { WorkerContext } from '@einhorn/worker';
import type { FastifyEinhorn, FastifyEinhornOptions } from './types.ts';

/** What the plugin shares with {@link listenEinhorn}, hidden on the decorator under a `Symbol.for` key. */
export interface PluginState {
  readonly options: FastifyEinhornOptions;
  readonly context: WorkerContext | undefined;
  /** The `serve()` handle once {@link listenEinhorn} listens. */
  handle: ServeHandle | undefined;
  /** `app.close()` was called by the app (not by a shutdown signal). */
  closingByApp: boolean;
}

// Symbol.for so that a plugin from the CJS build and listenEinhorn from the ESM build agree.
const STATE = Symbol.for('einhorn.fastify.state');

/** Hides `state` on the decorator object (our own object, so this is not an expando on Fastify's). */
export function attachState(decorator: FastifyEinhorn, state: PluginState): void {
  Object.defineProperty(decorator, STATE, { value: state });
}

/** The state attached by the plugin registered on `app`, if any. */
export function stateOf(app: FastifyInstance): PluginState | undefined {
  const decorator: unknown = app.hasDecorator('einhorn') ? app.einhorn : undefined;
  if (typeof decorator !== 'object' || decorator === null) return undefined;
  return (decorator as { readonly [STATE]?: PluginState })[STATE];
}
