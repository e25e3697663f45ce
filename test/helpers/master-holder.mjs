// The process side of the fake master (see fake-master.ts): a tiny Node process that
//   1. holds the listening sockets it inherited on fds 4.. WITHOUT ever wrapping them in a Node
//      server, so it never accept()s and never steals a connection (like einhorn's master);
//   2. spawns workers on request, handing them those fds through `stdio` (documented: a
//      positive integer is an fd of this process), so that EINHORN_MASTER_PID can be this
//      process's pid and a worker's identity check (ppid === master pid) is real;
//   3. forwards each worker's stdout/stderr and exit status to the test over IPC.
// It exits, SIGKILLing its workers, as soon as the test process goes away (IPC disconnect).
import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';
import process from 'node:process';

const heldFds = JSON.parse(process.argv[2] ?? '[]');
const workers = new Map();

function send(message) {
  if (process.connected) process.send(message);
}

function describeFd(fd) {
  try {
    const stats = fstatSync(fd);
    return { fd, open: true, socket: stats.isSocket(), inode: stats.ino };
  } catch {
    return { fd, open: false, socket: false, inode: 0 };
  }
}

function spawnWorker({ id, command, args, env, stdio }) {
  let child;
  try {
    child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe', ...stdio] });
  } catch (error) {
    send({ type: 'spawn-error', id, message: String(error) });
    return;
  }
  child.once('error', (error) => send({ type: 'spawn-error', id, message: String(error) }));
  child.once('spawn', () => {
    workers.set(child.pid, child);
    send({ type: 'spawned', id, pid: child.pid });
  });
  for (const stream of ['stdout', 'stderr']) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk) => send({ type: 'output', pid: child.pid, stream, chunk }));
  }
  // 'close' (not 'exit') so that all output was forwarded before the exit is reported.
  child.once('close', (code, signal) => {
    workers.delete(child.pid);
    send({ type: 'exit', pid: child.pid, code, signal });
  });
}

process.on('message', (message) => {
  if (message.type === 'spawn') spawnWorker(message);
});

process.once('disconnect', () => {
  for (const child of workers.values()) child.kill('SIGKILL');
  process.exit(0);
});

send({ type: 'ready', pid: process.pid, fds: heldFds.map(describeFd) });
