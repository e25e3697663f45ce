// A worker under the einhorn master WITHOUT our SDK: plain `server.listen({ fd })`, a raw ACK line
// on the command socket, and on SIGUSR2 Node's plain `server.close()`. It is the bare-framework
// baseline of B3 and the control of B5 (an upgrade that can fail, proving the probe sees failures).
// `--track` adds only @einhorn/net's trackConnections(), to attribute B3's request-path cost.
import { connect } from 'node:net';
import { buildServer } from '../apps/index.mjs';
import { fail, parseArgs } from './args.mjs';
import { instrument } from './instrument.mjs';

function rawAck() {
  return new Promise((resolve, reject) => {
    const socket = connect(process.env.EINHORN_SOCK_PATH);
    socket.on('connect', () => {
      socket.end(`${JSON.stringify({ command: 'worker:ack', pid: process.pid })}\n`);
    });
    socket.on('close', resolve);
    socket.on('error', reject);
  });
}

try {
  const fd = Number(process.env.EINHORN_FD_0 ?? process.env.EINHORN_FDS?.split(' ')[0]);
  if (!Number.isInteger(fd)) throw new Error('EINHORN_FD_0 is not set: run me under einhorn.');
  const args = parseArgs();
  const server = await buildServer(args.framework);
  const stats = instrument(server);
  if (args.track) (await import('@einhorn/net')).trackConnections(server);
  process.on('SIGUSR2', () => {
    server.close(() => process.exit(0));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ fd }, resolve);
  });
  await rawAck();
  stats.set('ready', true);
} catch (error) {
  fail(error);
}
