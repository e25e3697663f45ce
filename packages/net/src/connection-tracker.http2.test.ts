import { once } from 'node:events';
import { connect, createServer } from 'node:http2';
import type { ClientHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { trackConnections } from './connection-tracker.ts';

// node:http2 servers (h2c here; TLS is exercised by the integration tests) are drained session
// by session: a GOAWAY notice with the highest stream id, then after the grace the final
// GOAWAY, with the open streams left to finish.

async function h2cServer(onStream: (stream: ServerHttp2Stream) => void) {
  const server = createServer();
  server.on('stream', onStream);
  const tracker = trackConnections(server);
  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  client.on('error', () => undefined);
  await once(client, 'connect');
  return { server, tracker, client };
}

function goaways(client: ClientHttp2Session): number[] {
  const seen: number[] = [];
  client.on('goaway', (_code: number, lastStreamID: number) => seen.push(lastStreamID));
  return seen;
}

describe('trackConnections (http2 server)', () => {
  it('counts a session with an open stream as an active request, and lets that stream finish across the drain', async () => {
    let respond: (() => void) | undefined;
    const { server, tracker, client } = await h2cServer((stream) => {
      respond = () => {
        stream.respond({ ':status': 200 }, { endStream: true });
      };
    });
    const seen = goaways(client);
    const request = client.request({ ':path': '/' });
    request.end();
    await expect.poll(() => respond).toBeDefined();
    expect(tracker.connections).toBe(1);
    expect(tracker.activeRequests).toBe(1);

    Server.prototype.close.call(server);
    const drained = tracker.drain({ idleGraceMs: 0 });
    // The notice first: every stream the client sent is still processed.
    await expect.poll(() => seen[0]).toBe(2 ** 31 - 1);
    // The open stream is still answered after the final GOAWAY names it as processed.
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[1]).toBe(1);
    respond?.();
    const [headers] = (await once(request, 'response')) as [Record<string, unknown>];
    expect(headers[':status']).toBe(200);
    await drained;
    expect(tracker.connections).toBe(0);
    client.destroy();
  });

  it('control: without the tracker, an http2 server with a session never drains by itself', async () => {
    const { server, tracker, client } = await h2cServer((stream) => {
      stream.respond({ ':status': 200 }, { endStream: true });
    });
    tracker.dispose(); // as if nobody tracked it
    Server.prototype.close.call(server);
    const seen = goaways(client);
    const response = client.request({ ':path': '/' });
    response.end();
    await once(response, 'response');
    // The session is served as before and no GOAWAY comes: only a drain sends it.
    expect(seen).toEqual([]);
    expect(client.closed).toBe(false);
    client.destroy();
  });
});
