// Refusal probe (B7): opens a connection every --fast-ms until one succeeds, then every
// --slow-ms, sends `GET /` on each and waits for the answer. When stdin closes it stops, waits
// for pending attempts and prints one JSON line: every attempt as [wallClockMs, outcome] with
// outcome 'served', 'refused' or the error code.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
const arg = (name) => argv[argv.indexOf(`--${name}`) + 1];
const port = Number(arg('port'));
const fastMs = Number(arg('fast-ms'));
const slowMs = Number(arg('slow-ms'));
const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
const wallNow = () => performance.timeOrigin + performance.now();

const attempts = [];
let pending = 0;
let connectedOnce = false;
let stopping = false;

function attempt() {
  const record = [wallNow(), 'pending'];
  attempts.push(record);
  pending++;
  let response = '';
  const socket = connect({ host: '127.0.0.1', port });
  const settle = (outcome) => {
    if (record[1] !== 'pending') return;
    record[1] = outcome;
    pending--;
  };
  socket.setTimeout(5000, () =>
    socket.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
  );
  socket.setEncoding('latin1');
  socket.on('connect', () => {
    connectedOnce = true;
    socket.write(REQUEST);
  });
  socket.on('data', (chunk) => (response += chunk));
  socket.on('error', (error) =>
    settle(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? 'error')),
  );
  socket.on('close', () => settle(response.startsWith('HTTP/1.1 200') ? 'served' : 'incomplete'));
}

function tick() {
  if (stopping) return;
  attempt();
  setTimeout(tick, connectedOnce ? slowMs : fastMs);
}

process.stdin.resume();
process.stdin.on('end', () => {
  stopping = true;
  const done = setInterval(() => {
    if (pending > 0) return;
    clearInterval(done);
    process.stdout.write(`${JSON.stringify({ probe: 'done', attempts })}\n`);
  }, 10);
});
process.stdout.write(`${JSON.stringify({ probe: 'started' })}\n`);
tick();
