// The two MasterOptions that are objects, `ack` and `respawnBackoff`: checked field by field
// (problems are reported as `ack.afterMs`, `respawnBackoff.minMs`), then given their defaults.
import type { OptionsValidator } from '@einhorn/core';
import { checkNumber, isRecord } from './checks.ts';

/** An ACK mode with its defaults applied. */
export type ResolvedAck =
  | { readonly mode: 'timer'; readonly afterMs: number }
  | { readonly mode: 'manual'; readonly timeoutMs: number };

/** einhorn's default: a worker counts as up 1 s after it was spawned. */
export const DEFAULT_ACK: ResolvedAck = { mode: 'timer', afterMs: 1000 };

/** einhorn's `-s 1` and its 30 s ceiling. */
export const DEFAULT_BACKOFF = { minMs: 1000, maxMs: 30_000 } as const;

/**
 * `ack`: `{ mode: 'timer', afterMs }` (required, ≥ 0) or `{ mode: 'manual', timeoutMs? }`
 * (≥ 0, default 0 = no timeout). Absent: {@link DEFAULT_ACK}.
 */
export function resolveAck(v: OptionsValidator): ResolvedAck {
  const ack = v.value('ack');
  if (ack === undefined) return DEFAULT_ACK;
  if (!isRecord(ack) || (ack['mode'] !== 'timer' && ack['mode'] !== 'manual')) {
    v.fail('ack', `{ mode: 'timer', afterMs } or { mode: 'manual', timeoutMs? }`);
    return DEFAULT_ACK;
  }
  if (ack['mode'] === 'timer') {
    const afterMs = ack['afterMs'];
    if (afterMs === undefined)
      v.fail('ack.afterMs', 'a finite number ≥ 0 (required in timer mode)', afterMs);
    else checkNumber(v, 'ack.afterMs', { value: afterMs, min: 0 });
    return { mode: 'timer', afterMs: afterMs as number };
  }
  checkNumber(v, 'ack.timeoutMs', { value: ack['timeoutMs'], min: 0 });
  return { mode: 'manual', timeoutMs: (ack['timeoutMs'] as number | undefined) ?? 0 };
}

/**
 * `respawnBackoff`: `{ minMs, maxMs? }`, both > 0; `maxMs` defaults to 30 s. Absent:
 * {@link DEFAULT_BACKOFF}.
 */
export function resolveBackoff(v: OptionsValidator): {
  readonly minMs: number;
  readonly maxMs: number;
} {
  const backoff = v.value('respawnBackoff');
  if (backoff === undefined) return DEFAULT_BACKOFF;
  if (!isRecord(backoff)) {
    v.fail('respawnBackoff', '{ minMs, maxMs? } with both > 0');
    return DEFAULT_BACKOFF;
  }
  const { minMs, maxMs } = backoff;
  if (minMs === undefined) v.fail('respawnBackoff.minMs', 'a finite number > 0 (required)', minMs);
  else checkNumber(v, 'respawnBackoff.minMs', { value: minMs, min: 0, exclusive: true });
  checkNumber(v, 'respawnBackoff.maxMs', { value: maxMs, min: 0, exclusive: true });
  return { minMs: minMs as number, maxMs: (maxMs as number | undefined) ?? DEFAULT_BACKOFF.maxMs };
}
