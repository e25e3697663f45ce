// Replacing a node:cluster primary: the master as a library. The workers are ordinary
// Einhorn workers (e.g. getting-started-worker.js); this file only supervises them.
//   node master-api.js ./getting-started-worker.js
import { createMaster, handleMasterSignals } from '@einhorn/master';

const workerScript = process.argv[2] ?? 'dist/server.js';
const master = createMaster({
  command: process.execPath, // this Node binary runs the workers
  args: [workerScript],
  bind: [`127.0.0.1:${process.env['PORT'] ?? '8080'}`], // bound once, held for the master's life
  workers: 2,
  ack: { mode: 'manual', timeoutMs: 30_000 }, // up = ACKed; killed if no ACK within 30 s
  killTimeoutMs: 40_000, // SIGKILL a worker still draining 40 s after SIGUSR2
  logger: ({ level, message }) => {
    process.stderr.write(`[master] ${level}: ${message}\n`);
  },
});

master.on('worker:ack', (worker) => {
  process.stderr.write(`worker ${worker.pid} (index ${worker.index}) is up\n`);
});
master.on('error', (error) => {
  process.stderr.write(`master error ${error.code}: ${error.message}\n`);
});

// INT/USR2 stop gracefully, HUP upgrades, TERM/QUIT as einhorn does.
const removeSignals = handleMasterSignals(master, {
  onQuit: () => {
    process.exitCode = 1;
  },
});
await master.start();
process.stderr.write(`master ${process.pid} up on port ${master.state.boundPorts.join(', ')}\n`);
await master.closed;
removeSignals();
