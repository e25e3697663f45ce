// What the shell shows of a `state` reply. The reference shape is einhorn's (Ruby) document,
// `{state: {children: {PID: {...}}, config: {number}, version, upgrading, ...}}` once decoded by
// decodeStateDocument; einhorn-node writes the same with its extra keys (`master_pid`, `halted`).
// Older einhorn-node JSON is also read: snake_case with `master_pid`, or the camelCase
// `MasterState` (`workers: [...]`, `workersTarget`).
import { decodeStateDocument } from './state-document.ts';

/** One worker row of the `state` table. */
export interface WorkerView {
  readonly pid: number;
  readonly index: number | undefined;
  readonly version: number | undefined;
  readonly acked: boolean | undefined;
  readonly signaled: readonly string[];
  readonly spawnedAtMs: number | undefined;
  readonly pingedAtMs: number | undefined;
  readonly pingedRequestId: string | undefined;
}

/** einhorn-node's circuit breaker, when it stopped spawning a version that never ACKed. */
export interface BreakerView {
  readonly version: number | undefined;
  readonly failedStarts: number | undefined;
}

/** What the shell shows of a `state` reply. */
export interface StateView {
  readonly masterPid: number | undefined;
  readonly version: number | undefined;
  readonly workersTarget: number | undefined;
  readonly upgrading: boolean | undefined;
  /** Set when the circuit breaker has tripped. */
  readonly breaker: BreakerView | undefined;
  readonly workers: readonly WorkerView[];
}

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(...values: unknown[]): number | undefined {
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

function booleanOf(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Epoch milliseconds from ms, float seconds, or an ISO/YAML timestamp string. */
function timeOf(...values: unknown[]): number | undefined {
  for (const value of values) {
    if (typeof value === 'number' && Number.isFinite(value))
      return value > 1e11 ? value : value * 1000;
    if (typeof value === 'string') {
      const parsed = Date.parse(value);
      if (!Number.isNaN(parsed)) return parsed;
    }
  }
  return undefined;
}

function signalsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (isFields(value)) return Object.keys(value);
  if (typeof value === 'string' && value !== '') return [value];
  return [];
}

function workerOf(fields: Fields, key?: string): WorkerView | undefined {
  if (fields['type'] !== undefined && fields['type'] !== 'worker') return undefined;
  const pid = numberOf(fields['pid'], key === undefined ? undefined : Number(key));
  if (pid === undefined) return undefined;
  const requestId = fields['pingedRequestId'] ?? fields['pinged_request_id'];
  return {
    pid,
    index: numberOf(fields['index']),
    version: numberOf(fields['version']),
    acked: booleanOf(fields['acked']),
    signaled: signalsOf(fields['signaled']),
    spawnedAtMs: timeOf(fields['spawnedAt'], fields['spawned_at'], fields['spinup_time']),
    pingedAtMs: timeOf(fields['pingedAt'], fields['pinged_at']),
    pingedRequestId: typeof requestId === 'string' ? requestId : undefined,
  };
}

function workersOf(state: Fields): WorkerView[] | undefined {
  const list = state['workers'];
  if (Array.isArray(list)) {
    return list.flatMap((item) => (isFields(item) ? (workerOf(item) ?? []) : []));
  }
  const children = state['children'];
  if (isFields(children)) {
    return Object.entries(children).flatMap(([key, item]) =>
      isFields(item) ? (workerOf(item, key) ?? []) : [],
    );
  }
  return undefined;
}

/** `halted: {version, failed_starts}` (einhorn-node), or `circuit_breaker: {tripped, ...}`. */
function breakerOf(state: Fields): BreakerView | undefined {
  const breaker = state['circuit_breaker'] ?? state['circuitBreaker'];
  const halted = isFields(breaker)
    ? breaker['tripped'] === true
      ? breaker
      : undefined
    : state['halted'];
  if (!isFields(halted)) return undefined;
  return {
    version: numberOf(halted['version']),
    failedStarts: numberOf(halted['failed_starts'], halted['failedStarts']),
  };
}

/**
 * Reads a `state` reply message as a worker table.
 *
 * @param message - The `message` of the reply: einhorn's YAML or einhorn-node's YAML or JSON.
 * @returns The view, or `undefined` when the message is not a state document.
 */
export function parseStateView(message: string): StateView | undefined {
  const root = decodeStateDocument(message);
  if (!isFields(root)) return undefined;
  const state = isFields(root['state']) ? root['state'] : root;
  const workers = workersOf(state);
  if (workers === undefined) return undefined;
  const config = isFields(state['config']) ? state['config'] : {};
  return {
    masterPid: numberOf(
      state['pid'],
      state['masterPid'],
      state['master_pid'],
      root['pid'],
      root['masterPid'],
      root['master_pid'],
    ),
    version: numberOf(state['version']),
    workersTarget: numberOf(
      state['workersTarget'],
      state['workers_target'],
      config['number'],
      state['number'],
    ),
    upgrading: booleanOf(state['upgrading']),
    breaker: breakerOf(state),
    workers,
  };
}
