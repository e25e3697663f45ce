// A raw net.Server (a line echo protocol), CommonJS with require.
import net = require('node:net');
import readline = require('node:readline');
import einhornNet = require('@einhorn/net');

const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
  lines.on('error', () => socket.destroy());
  lines.on('line', (line) => {
    connections.busy(socket);
    if (connections.isDraining) socket.end(`echo ${line}\nbye\n`);
    else if (socket.writable) socket.write(`echo ${line}\n`);
    connections.idle(socket);
  });
  lines.on('close', () => socket.end());
});
const connections = einhornNet.trackConnections(server);
einhornNet.serve(server).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
