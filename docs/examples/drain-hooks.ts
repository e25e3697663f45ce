// Every drain knob of serve() in one worker: deadline, idle grace, a hook for your own
// resources, WebSocket-style upgraded sockets, and the diagnostics channels to watch it all.
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { channels as netChannels, serve } from '@einhorn/net';
import { channels as workerChannels, exitCodes } from '@einhorn/worker';

// #region observe
// Log every step of the shutdown and the drain (no logger needed; NODE_DEBUG=einhorn also works).
for (const name of [workerChannels.shutdown, netChannels.drain]) {
  subscribe(name, (message) => {
    process.stderr.write(`${name} ${JSON.stringify(message)}\n`);
  });
}
// #endregion observe

const server = createServer((req, res) => {
  res.end(`Hello from ${process.pid}\n`);
});
// A WebSocket library would take over sockets here; the tracker then hands them to drainSocket.
server.on('upgrade', (_req, socket) => {
  socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\n\r\n');
});

// #region serve
await serve(server, {
  timeoutMs: 25_000, // the deadline: what is still open is destroyed, exit code 3
  idleGraceMs: 2_000, // keep an idle keep-alive socket 2 s in case a request is on its way
  drainSocket: (socket) => {
    socket.end(); // upgraded sockets: send your protocol's goodbye (a WebSocket close frame)
  },
  onDrain: async ({ trigger, deadline, abortSignal }) => {
    // Runs alongside the connection drain; the worker exits when both are done.
    process.stderr.write(`draining after ${trigger}, ${deadline - Date.now()} ms left\n`);
    await flushMetrics(abortSignal);
  },
  onTimeout: (timeoutMs) => {
    process.stderr.write(`drain took over ${timeoutMs} ms; exiting ${exitCodes.timedOut}\n`);
  },
});
// #endregion serve

async function flushMetrics(signal: AbortSignal): Promise<void> {
  if (!signal.aborted) await Promise.resolve(); // stands in for a final metrics push
}
