// Per-process counters every benchmarked server carries (the same in every topology): accepted
// connections and requests, written to `$BENCH_STATS_DIR/<pid>.json` at most every 100 ms and
// once more at exit (with the exit code). The harness reads them for fairness and pid discovery.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FLUSH_MS = 100;

/**
 * Starts counting `server`'s connections and requests.
 * @returns `set(key, value)` to record a figure (readiness, ACK time) and flush at once.
 */
export function instrument(server) {
  const dir = process.env.BENCH_STATS_DIR;
  const stats = { pid: process.pid, ready: false, connections: 0, requests: 0, exitCode: null };
  if (!dir) return { set: () => undefined };
  const file = join(dir, `${process.pid}.json`);
  let dirty = true;
  const flush = () => {
    if (!dirty) return;
    dirty = false;
    writeFileSync(`${file}.tmp`, JSON.stringify(stats));
    renameSync(`${file}.tmp`, file);
  };
  server.on('connection', () => {
    stats.connections++;
    dirty = true;
  });
  server.on('request', () => {
    stats.requests++;
    dirty = true;
  });
  setInterval(flush, FLUSH_MS).unref();
  process.on('exit', (code) => {
    stats.exitCode = code;
    dirty = true;
    flush();
  });
  flush();
  return {
    set(key, value) {
      stats[key] = value;
      dirty = true;
      flush();
    },
  };
}
