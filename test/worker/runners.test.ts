// How a worker is started: through a wrapper that does not exec (sh -c, npm start, npx, tsx),
// directly with a TypeScript entry point, or by systemd socket activation instead of einhorn.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster } from '../helpers/fake-master.ts';
import { fixtures, lines, payload } from '../helpers/fixture-paths.ts';
import { HttpConnection, httpGet, tcpListener } from '../helpers/http-client.ts';
import { OutputCollector, baseEnv, testNode } from '../helpers/spawn-fixture.ts';

/** The built ESM entry of @einhorn/net, as an app's import would find it. */
const netEntry = join(
  dirname(createRequire(import.meta.url).resolve('@einhorn/net/package.json')),
  'dist/index.js',
);

describe('workers started through a wrapper or by systemd', () => {
  let master: FakeMaster | undefined;
  const servers: Server[] = [];

  afterEach(async () => {
    await master?.close();
    master = undefined;
    for (const server of servers.splice(0)) server.close();
  });

  it('under a wrapper that does not exec (sh -c), fails at once naming the command line to give the master', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.netHttp, {
      wrapper: ['/bin/sh', '-c', '"$0" "$@"; exit $?'],
    });
    const error = payload(await worker.waitForLine(lines.error));
    expect(error['code']).toBe('ERR_EINHORN_MASTER_PID_MISMATCH');
    expect(error['message']).toMatch(/runs between the master \(\d+\) and it/);
    expect(error['message']).toContain(`give the master this command line instead: ${testNode}`);
    expect(error['message']).toContain(fixtures.netHttp);
    expect((await worker.exited).code).toBe(1);
    await master.barrier();
    expect(
      master.commands.filter(
        (record) =>
          record.request.kind === 'command' && record.request.command.command === 'worker:ack',
      ),
    ).toEqual([]);
  });

  it('a TypeScript entry point runs directly on Node ≥ 22.18 (type stripping), with no wrapper', async (context) => {
    const version = spawnSync(testNode, ['--version'], { encoding: 'utf8' }).stdout;
    if (Number(/^v(\d+)\./.exec(version)?.[1]) < 24) context.skip(); // older: node --import tsx
    master = await startFakeMaster();
    const dir = master.commandSocketPath.slice(0, master.commandSocketPath.lastIndexOf('/'));
    const script = join(dir, 'server.ts');
    writeFileSync(
      script,
      [
        "import { createServer } from 'node:http';",
        "import type { IncomingMessage, ServerResponse } from 'node:http';",
        `import { serve } from ${JSON.stringify(netEntry)};`,
        'const server = createServer((_req: IncomingMessage, res: ServerResponse): void => {',
        '  res.end(JSON.stringify({ pid: process.pid }));',
        '});',
        'await serve(server);',
        'process.stderr.write(`einhorn-fixture:listening ${JSON.stringify({ pid: process.pid })}\\n`);',
      ].join('\n'),
    );
    const worker = await master.spawnWorker(script);
    await worker.awaitAck();
    const [listener] = master.listeners;
    if (listener === undefined) throw new Error('no listener');
    expect(JSON.parse((await httpGet(listener, '/')).body)).toEqual({ pid: worker.pid });
    worker.signal('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('under systemd socket activation (LISTEN_PID, LISTEN_FDS, fd 3) the same worker serves and drains on SIGTERM', async () => {
    const server = createServer();
    servers.push(server);
    server.listen({ host: '127.0.0.1', port: 0, backlog: 50 });
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    // systemd sets LISTEN_PID to the service's own pid after fork: `exec` keeps the shell's pid.
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        'LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=http exec "$0" "$@"',
        testNode,
        fixtures.netHttp,
      ],
      {
        env: baseEnv(),
        stdio: [
          'ignore',
          'pipe',
          'pipe',
          (server as unknown as { _handle: { fd: number } })._handle.fd,
        ],
      },
    );
    const output = new OutputCollector();
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output.push('stdout', chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output.push('stderr', chunk);
    });
    const exited = once(child, 'exit');
    const listening = payload(await output.waitForLine(lines.listening));
    expect(listening['pid']).toBe(child.pid);
    const listener = tcpListener(port);
    // Our own copy must not accept: close it, the child holds the socket now.
    server.close();
    const connection = await HttpConnection.open(listener);
    const response = connection.get('/slow?ms=100&after=drain');
    await output.waitForLine(lines.request);
    child.kill('SIGTERM');
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(answered.headers['connection']).toBe('close');
    expect(await exited).toEqual([0, null]);
  });
});
