import type { Server } from 'node:net';
import { OptionsValidator } from '@einhorn/core';

const MAX_TIMER_MS = 2 ** 31 - 1;

function checkDrainOptions(v: OptionsValidator): void {
  v.func('onDrain');
  v.func('afterDrain');
  v.func('drainSocket');
  v.integer('idleGraceMs', 0, MAX_TIMER_MS);
}

function isFallback(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { port, host, path } = value as { port?: unknown; host?: unknown; path?: unknown };
  if (path !== undefined) return typeof path === 'string' && path !== '' && port === undefined;
  return (
    typeof port === 'number' &&
    Number.isInteger(port) &&
    port >= 0 &&
    port <= 65535 &&
    (host === undefined || (typeof host === 'string' && host !== ''))
  );
}

function checkServer(v: OptionsValidator, server: unknown, name: string): void {
  const candidate = server as { listen?: unknown; on?: unknown } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.listen !== 'function' ||
    typeof candidate.on !== 'function'
  )
    v.fail('server', `a net.Server, http.Server or https.Server passed to ${name}`, server);
}

/**
 * Validates the options that belong to the drain engine; the signal options are validated by
 * `onGracefulShutdown` from `@einhorn/worker` before anything is installed.
 */
export function validateDrainOptions(server: Server, options: unknown, name: string): void {
  const v = new OptionsValidator(options);
  checkServer(v, server, name);
  checkDrainOptions(v);
  v.throwIfInvalid(`${name} options`);
}

/**
 * Validates `serve()`'s own options and the drain options; the options it forwards are
 * validated by `@einhorn/worker` (`listenOnFd`, `onGracefulShutdown`, `ack`).
 */
export function validateServeOptions(server: Server, options: unknown): void {
  const v = new OptionsValidator(options);
  checkServer(v, server, 'serve()');
  checkDrainOptions(v);
  v.oneOf('ack', ['auto', 'manual']);
  v.func('ready');
  v.integer('ackTimeoutMs', 1, MAX_TIMER_MS);
  v.boolean('ackConfirm');
  const fallback = v.value('fallback');
  if (fallback !== undefined && !isFallback(fallback))
    v.fail('fallback', '{ port, host? } with a port in [0, 65535], or { path }');
  v.throwIfInvalid('serve() options');
}

/** Validates the arguments of `drainWebSockets()`. */
export function validateWebSocketDrainOptions(
  server: Server,
  wss: unknown,
  options: unknown,
): void {
  const v = new OptionsValidator(options);
  checkServer(v, server, 'drainWebSockets()');
  const candidate = wss as { on?: unknown; close?: unknown } | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.on !== 'function' ||
    typeof candidate.close !== 'function'
  )
    v.fail('wss', 'a WebSocketServer from ws (an object with on() and close())', wss);
  v.integer('code', 1000, 4999);
  v.integer('graceMs', 0, MAX_TIMER_MS);
  v.func('drainSocket');
  const reason = v.value('reason');
  if (reason !== undefined && (typeof reason !== 'string' || Buffer.byteLength(reason) > 123))
    v.fail('reason', 'a string of at most 123 bytes of UTF-8');
  v.throwIfInvalid('drainWebSockets() options');
}
