import { OptionsValidator } from '@einhorn/core';
import type { FastifyEinhornOptions, ListenEinhornOptions } from './types.ts';

/** Prefix of every error message raised by this package (Fastify plugin convention). */
export const PACKAGE_NAME = '@einhorn/fastify';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Checks the options that only this package has; everything else has the names of `serve()`
 * in `@einhorn/net` and is validated there (and by `@einhorn/worker`), with the same error.
 *
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS`
 */
export function validatePluginOptions(options: FastifyEinhornOptions | undefined): void {
  const v = new OptionsValidator(options);
  const healthPath = v.value('healthPath');
  if (healthPath !== undefined && !(typeof healthPath === 'string' && healthPath.startsWith('/')))
    v.fail('healthPath', "a route path starting with '/'");
  v.oneOf('ack', ['auto', 'manual']);
  v.integer('timeoutMs', 1, MAX_TIMER_MS);
  v.integer('idleGraceMs', 0, MAX_TIMER_MS);
  for (const name of ['onDrain', 'afterDrain', 'drainSocket', 'onTimeout', 'ready']) v.func(name);
  for (const name of ['fallback', 'index', 'backlog'])
    if (v.value(name) !== undefined)
      v.fail(name, `not set here: pass ${name} to listenEinhorn(app, { ${name} })`);
  v.throwIfInvalid(`${PACKAGE_NAME} plugin options`);
}

/**
 * Checks {@link listenEinhorn}'s own options (`index`, `backlog` and `fallback` are checked
 * again, with the same rules, by `serve()`).
 *
 * @throws EinhornError `ERR_EINHORN_INVALID_OPTIONS`
 */
export function validateListenOptions(options: ListenEinhornOptions | undefined): void {
  const v = new OptionsValidator(options);
  v.integer('index', 0, 65_535);
  const backlog = v.value('backlog');
  if (
    backlog !== undefined &&
    backlog !== 'inherit' &&
    !(typeof backlog === 'number' && Number.isInteger(backlog) && backlog >= 1)
  )
    v.fail('backlog', "'inherit' or a positive integer");
  v.object('fallback');
  v.throwIfInvalid(`${PACKAGE_NAME} listenEinhorn() options`);
}
