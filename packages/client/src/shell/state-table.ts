import type { StateView, WorkerView } from './state-view.ts';

const UNKNOWN = '?';

/** `42s`, `5m03s`, `2h05m`, `3d04h`: compact and never negative. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (value: number): string => String(value).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
  if (seconds < 86_400)
    return `${Math.floor(seconds / 3600)}h${two(Math.floor(seconds / 60) % 60)}m`;
  return `${Math.floor(seconds / 86_400)}d${two(Math.floor(seconds / 3600) % 24)}h`;
}

function text(value: number | undefined): string {
  return value === undefined ? UNKNOWN : String(value);
}

function yesNo(value: boolean | undefined): string {
  if (value === undefined) return UNKNOWN;
  return value ? 'yes' : 'no';
}

function row(worker: WorkerView, nowMs: number): string[] {
  const age =
    worker.spawnedAtMs === undefined ? UNKNOWN : formatDuration(nowMs - worker.spawnedAtMs);
  let ping = '-';
  if (worker.pingedAtMs !== undefined) {
    ping = `${formatDuration(nowMs - worker.pingedAtMs)} ago`;
    if (worker.pingedRequestId !== undefined) ping += ` (${worker.pingedRequestId})`;
  }
  return [
    String(worker.pid),
    text(worker.index),
    text(worker.version),
    yesNo(worker.acked),
    worker.signaled.length === 0 ? '-' : worker.signaled.join(','),
    age,
    ping,
  ];
}

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const cells of rows) {
    cells.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows.map((cells) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Renders a state view as a header line and a table of workers.
 *
 * @param view - From `parseStateView`.
 * @param nowMs - The current time, for ages.
 * @returns Lines joined with `\n`, without a final newline.
 */
export function renderStateTable(view: StateView, nowMs: number): string {
  const { breaker } = view;
  // A tripped breaker stops spawning the new version, so an upgrade in progress cannot finish.
  const upgrading =
    view.upgrading === true && breaker !== undefined ? 'failed' : yesNo(view.upgrading);
  const header = [
    `master pid: ${text(view.masterPid)}`,
    `version: ${text(view.version)}`,
    `workers target: ${text(view.workersTarget)}`,
    `upgrading: ${upgrading}`,
  ].join('  ');
  const lines = [header];
  if (breaker !== undefined) {
    lines.push(
      `circuit breaker: tripped: version ${text(breaker.version)} is no longer spawned after ` +
        `${text(breaker.failedStarts)} workers in a row died before ACKing; fix the program and run "upgrade"`,
    );
  }
  if (view.workers.length === 0) return [...lines, '(no workers)'].join('\n');
  const titles = ['PID', 'INDEX', 'VERSION', 'ACKED', 'SIGNALED', 'AGE', 'LAST PING'];
  lines.push(...alignColumns([titles, ...view.workers.map((worker) => row(worker, nowMs))]));
  return lines.join('\n');
}
