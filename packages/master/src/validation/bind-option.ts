// The `bind` option's shape: each entry is a `-b` string, `{ host, port, reuseAddr?, reusePort? }`
// or `{ path }`. parseBindSpec then checks what the address says (ERR_EINHORN_BIND_INVALID).
import type { OptionsValidator } from '@einhorn/core';
import type { BindSpec } from '../types.ts';
import { checkNonEmptyString, isRecord } from './checks.ts';

const ENTRY_FORMS =
  'a string "HOST:PORT[,FLAGS]" or UNIX path, { host, port, reuseAddr?, reusePort? } or { path }';

function hostEntry(
  v: OptionsValidator,
  name: string,
  entry: Readonly<Record<string, unknown>>,
): BindSpec | undefined {
  const { host, port, reuseAddr, reusePort } = entry;
  if (typeof host !== 'string') v.fail(`${name}.host`, 'a string', host);
  if (typeof port !== 'number' || !Number.isFinite(port))
    v.fail(`${name}.port`, 'an integer in [0, 65535]', port);
  for (const [flag, value] of [
    ['reuseAddr', reuseAddr],
    ['reusePort', reusePort],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean')
      v.fail(`${name}.${flag}`, 'a boolean', value);
  }
  if (typeof host !== 'string' || typeof port !== 'number') return undefined;
  return {
    host,
    port,
    ...(reuseAddr === true ? { reuseAddr } : {}),
    ...(reusePort === true ? { reusePort } : {}),
  };
}

function bindEntry(v: OptionsValidator, name: string, entry: unknown): BindSpec | undefined {
  if (typeof entry === 'string') return entry;
  if (isRecord(entry) && 'host' in entry) return hostEntry(v, name, entry);
  if (isRecord(entry) && 'path' in entry) {
    const { path } = entry;
    checkNonEmptyString(v, `${name}.path`, path);
    return typeof path === 'string' && path !== '' ? { path } : undefined;
  }
  v.fail(name, ENTRY_FORMS, entry);
  return undefined;
}

/**
 * Checks the shape of `bind` (absent: no addresses) and returns its entries with unknown keys
 * dropped. Invalid entries are recorded on `v` and left out.
 */
export function checkBindEntries(v: OptionsValidator): readonly BindSpec[] {
  const bind = v.value('bind');
  if (bind === undefined) return [];
  if (!Array.isArray(bind)) {
    v.fail('bind', `an array whose entries are each ${ENTRY_FORMS}`);
    return [];
  }
  const specs: BindSpec[] = [];
  for (const [index, entry] of (bind as readonly unknown[]).entries()) {
    const spec = bindEntry(v, `bind[${index}]`, entry);
    if (spec !== undefined) specs.push(spec);
  }
  return specs;
}
