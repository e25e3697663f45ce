// Rate-limited connection generator for partial-load fairness (B4): opens --rate new
// connections per second for --duration-ms, one `GET /` with `Connection: close` on each, and
// prints one JSON line: attempted, ok (200 and complete), failed, refused.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
const arg = (name) => argv[argv.indexOf(`--${name}`) + 1];
const port = Number(arg('port'));
const rate = Number(arg('rate'));
const durationMs = Number(arg('duration-ms'));
const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

const result = { attempted: 0, ok: 0, failed: 0, refused: 0, errors: {} };
let pending = 0;

function one() {
  result.attempted++;
  pending++;
  let response = '';
  let settled = false;
  const socket = connect({ host: '127.0.0.1', port });
  const settle = (outcome, code) => {
    if (settled) return;
    settled = true;
    pending--;
    result[outcome]++;
    if (code) result.errors[code] = (result.errors[code] ?? 0) + 1;
  };
  socket.setTimeout(10_000, () =>
    socket.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
  );
  socket.setEncoding('latin1');
  socket.on('connect', () => socket.write(REQUEST));
  socket.on('data', (chunk) => (response += chunk));
  socket.on('error', (error) =>
    settle(error.code === 'ECONNREFUSED' ? 'refused' : 'failed', error.code),
  );
  socket.on('close', () => {
    const complete = response.startsWith('HTTP/1.1 200') && response.endsWith('hello world\n');
    settle(complete ? 'ok' : 'failed', complete ? undefined : 'INCOMPLETE');
  });
}

const started = performance.now();
const timer = setInterval(() => {
  const elapsed = performance.now() - started;
  const due = Math.floor((Math.min(elapsed, durationMs) / 1000) * rate);
  while (result.attempted < due) one();
  if (elapsed < durationMs) return;
  clearInterval(timer);
  const finish = setInterval(() => {
    if (pending > 0) return;
    clearInterval(finish);
    process.stdout.write(`${JSON.stringify({ connRate: 1, ...result })}\n`);
  }, 5);
}, 2);
