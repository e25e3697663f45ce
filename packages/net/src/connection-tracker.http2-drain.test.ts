import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createSecureServer, createServer } from 'node:http2';
import type { ClientHttp2Session, Http2Server, ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackConnections } from './connection-tracker.ts';

// The drain of node:http2 sessions over TLS and h2c: the GOAWAY notice, the final GOAWAY after
// idleGraceMs with an open stream still answered, sessions without streams closed, sessions that
// start while draining, and the deadline that destroys what is left.

const NOTICE = 2 ** 31 - 1;
let dir = '';
let key = '';
let cert = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'einhorn-net-h2-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

type Kind = 'tls' | 'h2c';

async function start(kind: Kind, onStream: (stream: ServerHttp2Stream) => void) {
  const server: Http2Server = kind === 'tls' ? createSecureServer({ key, cert }) : createServer();
  server.on('stream', onStream);
  const tracker = trackConnections(server);
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const origin = `${kind === 'tls' ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const open = async (): Promise<ClientHttp2Session> => {
    const client = connect(origin, kind === 'tls' ? { ca: cert } : {});
    client.on('error', () => undefined);
    await once(client, 'connect');
    return client;
  };
  return { server, tracker, open, origin };
}

function goaways(client: ClientHttp2Session): number[] {
  const seen: number[] = [];
  client.on('goaway', (_code: number, lastStreamID: number) => seen.push(lastStreamID));
  return seen;
}

describe.each(['tls', 'h2c'] as const)('trackConnections (http2 %s server) drain', (kind) => {
  it('sends the notice, then closes a session without streams after the grace', async () => {
    const { server, tracker, open } = await start(kind, (stream) => {
      stream.respond({ ':status': 200 }, { endStream: true });
    });
    const client = await open();
    const seen = goaways(client);
    // One finished request: the session is idle, not new.
    const request = client.request({ ':path': '/' });
    request.end();
    request.resume();
    await once(request, 'end');
    expect(tracker.activeRequests).toBe(0);
    expect(tracker.connections).toBe(1);

    Server.prototype.close.call(server);
    const closed = once(client, 'close');
    await tracker.drain({ idleGraceMs: 0 });
    await closed;
    expect(seen[0]).toBe(NOTICE);
    expect(tracker.connections).toBe(0);
  });

  it('answers a stream opened before the notice after the final GOAWAY', async () => {
    let respond: (() => void) | undefined;
    const { server, tracker, open } = await start(kind, (stream) => {
      respond = () => {
        stream.respond({ ':status': 204 }, { endStream: true });
      };
    });
    const client = await open();
    const seen = goaways(client);
    const request = client.request({ ':path': '/slow' });
    request.end();
    await expect.poll(() => respond).toBeDefined();
    expect(tracker.activeRequests).toBe(1);

    Server.prototype.close.call(server);
    const drained = tracker.drain({ idleGraceMs: 0 });
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.slice(0, 2)).toEqual([NOTICE, 1]);
    expect(tracker.activeRequests).toBe(1);
    respond?.();
    const [headers] = (await once(request, 'response')) as [Record<string, unknown>];
    expect(headers[':status']).toBe(204);
    await drained;
    expect(tracker.activeRequests).toBe(0);
    client.destroy();
  });

  it('sends the notice at once to a session that starts while the drain is under way, and closes it after the grace', async () => {
    let respond: (() => void) | undefined;
    const { server, tracker, open } = await start(kind, (stream) => {
      respond = () => {
        stream.respond({ ':status': 200 }, { endStream: true });
      };
    });
    // A first session with an open stream keeps the drain under way.
    const first = await open();
    const firstRequest = first.request({ ':path': '/first' });
    firstRequest.end();
    await expect.poll(() => respond).toBeDefined();
    const drained = tracker.drain({ idleGraceMs: 0 });

    // Still listening (the master may hand over a few more before the next generation acks).
    const late = await open();
    const seen = goaways(late);
    const lateClosed = once(late, 'close');
    await expect.poll(() => seen[0]).toBe(NOTICE);
    await lateClosed;
    await expect.poll(() => tracker.connections).toBe(1);
    Server.prototype.close.call(server);
    respond?.();
    const [headers] = (await once(firstRequest, 'response')) as [Record<string, unknown>];
    expect(headers[':status']).toBe(200);
    await drained;
    first.destroy();
  });

  it('destroys a session with an open stream at the deadline', async () => {
    const { server, tracker, open } = await start(kind, () => undefined);
    const client = await open();
    const seen = goaways(client);
    const request = client.request({ ':path': '/never' });
    let answered = false;
    request.on('response', () => (answered = true));
    request.on('error', () => undefined);
    request.end();
    await expect.poll(() => tracker.activeRequests).toBe(1);

    Server.prototype.close.call(server);
    const deadline = new AbortController();
    const drained = tracker.drain({ idleGraceMs: 60_000, signal: deadline.signal });
    await expect.poll(() => seen[0]).toBe(NOTICE);
    const closed = once(client, 'close');
    deadline.abort();
    await drained;
    await closed;
    expect(answered).toBe(false);
    expect(tracker.connections).toBe(0);
  });
});
