// Plays systemd's part in socket activation for the deploy test: it binds the `.socket` unit's
// ListenStream= address and makes it LISTEN (as systemd does), then keeps that socket open for its
// whole life without ever accepting on it. It starts the service's command with the socket at fd 3 and
// LISTEN_PID (the started process's own pid, via `sh -c 'exec'`), LISTEN_FDS and LISTEN_FDNAMES,
// and restarts it on request the way `systemctl restart` does: stop (KillSignal), wait for the
// exit, start again. Driven over IPC: {type:'start'|'restart'|'stop'}; it reports
// {type:'bound', port}, {type:'started', pid}, {type:'exited', pid, code, signal}. The command
// comes with the first 'start' (it may name the bound port).
// Usage: node systemd-socket-holder.mjs HOST PORT FDNAME KILLSIGNAL
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import process from 'node:process';

const [host, portText, fdName, killSignal] = process.argv.slice(2);
let command = [];
// Node's own helper for "a bound socket nobody polls" (the same one einhorn-node uses).
const handle = net._createServerHandle(host, Number(portText), 4, undefined, 0);
if (typeof handle === 'number') throw new Error(`bind failed: ${handle}`);
const address = {};
handle.getsockname(address);
// listen() in a short-lived child that exits from the listen callback, before its event loop ever
// polls: the socket is LISTEN and nobody accepts until a worker does (systemd's Backlog= default).
const listened = spawnSync(
  process.execPath,
  ['-e', "require('net').createServer().listen({ fd: 3, backlog: 4096 }, () => process.exit(0))"],
  { stdio: ['ignore', 'inherit', 'inherit', handle.fd] },
);
if (listened.status !== 0) throw new Error(`listen failed: ${listened.status}`);
const send = (message) => process.connected && process.send(message);
send({ type: 'bound', port: address.port });

let service;
let exited = Promise.resolve();
function start() {
  const child = spawn(
    '/bin/sh',
    ['-c', `LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=${fdName} exec "$@"`, 'sh', ...command],
    { stdio: ['ignore', 'inherit', 'inherit', handle.fd] },
  );
  service = child;
  exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      send({ type: 'exited', pid: child.pid, code, signal });
      resolve();
    });
  });
  send({ type: 'started', pid: child.pid });
}
async function stop() {
  if (service?.exitCode === null && service.signalCode === null) service.kill(killSignal);
  await exited;
}
process.on('message', async (message) => {
  if (message.type === 'start') {
    command = message.command;
    start();
  }
  if (message.type === 'restart') {
    await stop();
    start();
  }
  if (message.type === 'stop') {
    await stop();
    process.disconnect();
  }
});
process.once('disconnect', () => {
  if (service?.exitCode === null) service.kill('SIGKILL');
});
