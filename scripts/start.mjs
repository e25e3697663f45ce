#!/usr/bin/env node
// `npm start` (after the build): runs the HTTP example under einhorn-node, the README's main job.
//   einhorn-node -c example -b 127.0.0.1:$PORT -m manual -n 2 -- node examples/http/dist/server.js
// Builds first (turbo, cached; EINHORN_START_NO_BUILD=1 skips it), prints where to curl and how to
// upgrade once both workers ACKed, forwards SIGINT/SIGTERM/SIGHUP to the master, and exits with
// the master's status. PORT defaults to 8080.
//
// The npm script is `exec node scripts/start.mjs`: npm forwards SIGINT and SIGTERM to its script's
// process, and with `exec` that process is this one (not a shell that would keep the signal to
// itself), so `kill -INT <pid of npm>` stops the master as Ctrl-C does
// (test/release/npm-start.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/master/dist/cli.cjs');
const server = join(root, 'examples/http/dist/server.js');
const port = process.env.PORT ?? '8080';
const workers = 2;
const name = 'example';
const socket = join(process.env.TMPDIR || tmpdir(), `einhorn-${name}.sock`);

if (process.env.EINHORN_START_NO_BUILD !== '1') {
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

for (const [file, hint] of [
  [cli, 'build @einhorn/master first: npm run build'],
  [server, 'build the HTTP example first: npm run build'],
]) {
  if (!existsSync(file)) {
    process.stderr.write(`start: ${file} is missing; ${hint}\n`);
    process.exit(1);
  }
}
if (!/^\d+$/.test(port) || Number(port) > 65535) {
  process.stderr.write(`start: PORT must be a TCP port number, found "${port}".\n`);
  process.exit(1);
}

const args = [
  cli,
  '-c',
  name,
  '-b',
  `127.0.0.1:${port}`,
  '-m',
  'manual',
  '-n',
  String(workers),
  '--',
  process.execPath,
  server,
];
process.stderr.write(`start: einhorn-node ${args.slice(1).join(' ')}\n`);
// Its own process group: a terminal ^C reaches the master once, through the forwarding below.
const master = spawn(process.execPath, args, {
  cwd: root,
  stdio: ['ignore', 'inherit', 'pipe'],
  detached: true,
});

let announced = false;
master.stderr.setEncoding('utf8').on('data', (chunk) => {
  process.stderr.write(chunk);
  if (!announced && new RegExp(`Up to ${workers} / ${workers} manual ACKs`).test(chunk)) {
    announced = true;
    process.stdout.write(
      [
        '',
        `Ready: ${workers} workers share 127.0.0.1:${port}.`,
        `  curl http://127.0.0.1:${port}/`,
        `  npx einhornsh-node -d ${socket} -e state      # inspect`,
        `  npx einhornsh-node -d ${socket} -e upgrade    # zero-downtime upgrade`,
        '  Ctrl-C stops the master and its workers gracefully.',
        '',
      ].join('\n'),
    );
  }
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (master.exitCode === null) master.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}

master.on('error', (error) => {
  process.stderr.write(`start: could not run einhorn-node: ${error.message}\n`);
  process.exit(1);
});
master.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 : 1));
});
