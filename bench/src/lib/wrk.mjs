// Runs wrk (Debian's /usr/bin/wrk) against a loopback URL and returns its JSON summary: req/s,
// p50/p99 latency and every error class wrk counts (connect, read, write, timeout, non-2xx/3xx).
import { fileURLToPath } from 'node:url';
import { JsonLines } from './json-lines.mjs';
import { startProcess, stopProcess } from './processes.mjs';
import { sleep } from './stats.mjs';

const SCRIPT = fileURLToPath(new URL('./wrk-report.lua', import.meta.url));
const WRK = process.env.BENCH_WRK ?? 'wrk';

function toResult(raw) {
  const seconds = raw.durationUs / 1e6;
  const failed = raw.connect + raw.read + raw.write + raw.timeout + raw.status;
  return {
    requests: raw.requests,
    seconds,
    rps: raw.requests / seconds,
    p50Ms: raw.p50Us / 1000,
    p99Ms: raw.p99Us / 1000,
    errors: {
      connect: raw.connect,
      read: raw.read,
      write: raw.write,
      timeout: raw.timeout,
      status: raw.status,
    },
    failed,
  };
}

/**
 * Starts wrk; `stop()` ends it early with SIGINT (wrk then prints its summary as usual).
 * @param options.close one connection per request (`Connection: close`)
 * @returns `{ result: Promise<WrkResult>, stop(): Promise<WrkResult> }`
 */
export function startWrk({
  port,
  seconds,
  connections = 64,
  threads = 2,
  close = false,
  timeoutSec = 2,
}) {
  const child = startProcess(
    WRK,
    [
      `-t${threads}`,
      `-c${connections}`,
      `-d${seconds}s`,
      `--timeout`,
      `${timeoutSec}s`,
      '-s',
      SCRIPT,
      `http://127.0.0.1:${port}/`,
    ],
    { env: { ...process.env, WRK_CONNECTION_CLOSE: close ? '1' : '0' } },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const lines = new JsonLines(child.stdout);
  const result = lines
    .waitFor((line) => line.wrk === 1, { timeoutMs: (seconds + 30) * 1000 })
    .then(toResult, (error) => {
      throw new Error(`wrk produced no summary: ${error.message} ${stderr.trim()}`, {
        cause: error,
      });
    });
  result.catch(() => undefined);
  return {
    child,
    result,
    async stop() {
      await stopProcess(child, { signal: 'SIGINT', timeoutMs: 5000 });
      return result;
    },
  };
}

/** Runs wrk for `seconds` (wrk's -d takes whole seconds; fractions end it with SIGINT). */
export async function runWrk(options) {
  if (Number.isInteger(options.seconds)) {
    const run = startWrk(options);
    const result = await run.result;
    await run.child.exited;
    return result;
  }
  const run = startWrk({ ...options, seconds: Math.ceil(options.seconds) + 5 });
  await sleep(options.seconds * 1000);
  return run.stop();
}
