// What the `config` command may change at run time, and how each value is checked. einhorn
// merges any YAML hash into its State (P18); einhorn-node takes only these keys, validated.
import { MAX_WORKERS } from './worker-count.ts';

/** A validated `config` hash: only the keys given, in {@link CONFIG_KEYS} order. */
export interface ConfigPatch {
  number?: number;
  seconds?: number;
  max_unacked?: number;
  max_upgrade_additional?: number | null;
  signal_timeout?: number;
}

type Check = (value: unknown) => boolean;

const isInteger =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

const isFinite =
  (accept: (value: number) => boolean): Check =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && accept(value);

const RULES = {
  number: { check: isInteger(1, MAX_WORKERS), expected: `an integer in [1, ${MAX_WORKERS}]` },
  seconds: { check: isFinite((value) => value > 0), expected: 'a number > 0' },
  max_unacked: { check: isInteger(1), expected: 'an integer ≥ 1' },
  max_upgrade_additional: {
    check: (value: unknown) => value === null || isInteger(0)(value),
    expected: 'an integer ≥ 0, or ~ for no limit',
  },
  signal_timeout: { check: isFinite((value) => value >= 0), expected: 'a number ≥ 0' },
} as const satisfies Record<keyof ConfigPatch, { check: Check; expected: string }>;

/** The keys `config` accepts. */
export const CONFIG_KEYS = Object.keys(RULES) as readonly (keyof ConfigPatch)[];

function isConfigKey(key: string): key is keyof ConfigPatch {
  return Object.hasOwn(RULES, key);
}

/**
 * Checks a decoded `config` hash (symbol keys already stripped of their `:`).
 * @returns the patch, or the refusal the client is sent: unknown keys first, then the first
 *   invalid value with what it must be and what was found
 */
export function checkConfigPatch(
  hash: Readonly<Record<string, unknown>>,
): { readonly patch: ConfigPatch } | { readonly refusal: string } {
  const unknown = Object.keys(hash).filter((key) => !isConfigKey(key));
  if (unknown.length > 0)
    return {
      refusal: `Refusing config: unknown key "${unknown.join('", "')}"; only ${CONFIG_KEYS.join(', ')} can be changed at run time.`,
    };
  const patch: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    if (!Object.hasOwn(hash, key)) continue;
    const value = hash[key];
    const rule = RULES[key];
    if (!rule.check(value))
      return {
        refusal: `Refusing config: "${key}" is invalid (expected ${rule.expected}), found ${(JSON.stringify(value) as string | undefined) ?? String(value)}; send a corrected value.`,
      };
    patch[key] = value;
  }
  return { patch };
}
