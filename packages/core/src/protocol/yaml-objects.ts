// Plain-object building for the YAML converter: prototype-safe keys and Psych's `<<` merge.
import type { Node } from 'yaml';
import { loadYaml } from './load-yaml.ts';

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Assignment that treats `__proto__` as an ordinary key instead of changing the prototype. */
export function setKey(target: PlainObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function mergeInto(target: PlainObject, source: PlainObject): void {
  for (const [key, value] of Object.entries(source)) setKey(target, key, value);
}

/** Psych's `<<` handling: merge a mapping (or each mapping of a sequence, earlier ones winning); otherwise keep it as a key. */
export function applyMergeKey(target: PlainObject, valueNode: Node | null, value: unknown): void {
  const { isAlias, isMap, isSeq } = loadYaml();
  if ((isMap(valueNode) || isAlias(valueNode)) && isPlainObject(value)) {
    mergeInto(target, value);
  } else if (isSeq(valueNode) && Array.isArray(value) && value.every(isPlainObject)) {
    const merged: PlainObject = {};
    for (const item of [...value].reverse()) mergeInto(merged, item);
    mergeInto(target, merged);
  } else {
    setKey(target, '<<', value);
  }
}
