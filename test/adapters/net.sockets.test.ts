import { connect } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMaster } from '../helpers/fake-master.ts';
import type { FakeMaster, HeldListener } from '../helpers/fake-master.ts';
import { fixtures, lines } from '../helpers/fixture-paths.ts';

/** A raw client that collects everything the server sends until it closes. */
async function openRaw(listener: HeldListener) {
  const socket = connect({ host: '127.0.0.1', port: listener.port });
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  let error: NodeJS.ErrnoException | undefined;
  socket.on('error', (err: NodeJS.ErrnoException) => (error = err));
  const ended = new Promise<{ clean: boolean }>((resolve) => {
    socket.once('close', (hadError) => {
      resolve({ clean: !hadError && error === undefined });
    });
  });
  return { socket, ended, received: () => received };
}

describe('@einhorn/net serve() with sockets it cannot drain itself', () => {
  let master: FakeMaster | undefined;

  afterEach(async () => {
    await master?.close();
    master = undefined;
  });

  it('a plain net.Server: every open connection goes to drainSocket, then the worker exits 0', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.netRaw);
    await worker.waitForLine(lines.listening);
    const client = await openRaw(master.listeners[0]!);
    client.socket.write('hello\n');
    await worker.waitForLine(lines.connection);
    worker.signal('SIGUSR2');
    expect(await client.ended).toEqual({ clean: true });
    expect(client.received()).toBe('hello\nbye\n');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('a plain net.Server without drainSocket: open connections are destroyed at the deadline, exit 3', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.netRaw, {
      env: { EINHORN_FIXTURE_DRAIN_SOCKET: '0', EINHORN_FIXTURE_SHUTDOWN_TIMEOUT_MS: '100' },
    });
    await worker.waitForLine(lines.listening);
    const client = await openRaw(master.listeners[0]!);
    await worker.waitForLine(lines.connection);
    worker.signal('SIGUSR2');
    expect(await worker.exited).toEqual({ code: 3, signal: null });
    await client.ended;
  });

  it('HTTP upgrade (WebSocket-style) sockets go to drainSocket instead of being closed as idle', async () => {
    master = await startFakeMaster();
    const worker = await master.spawnWorker(fixtures.netUpgrade);
    await worker.waitForLine(lines.listening);
    const client = await openRaw(master.listeners[0]!);
    client.socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n',
    );
    await worker.waitForLine(lines.upgraded);
    client.socket.write('ping\n');
    worker.signal('SIGUSR2');
    expect(await client.ended).toEqual({ clean: true });
    expect(client.received()).toMatch(/^HTTP\/1\.1 101 [\s\S]*\r\n\r\n(ping\n)?bye\n$/);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
