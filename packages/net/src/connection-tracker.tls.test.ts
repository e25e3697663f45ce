import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { trackConnections } from './connection-tracker.ts';

// https.Server requests live on TLS sockets ('secureConnection'), not on the TCP sockets of
// 'connection'; the tracker must follow them. The certificate is made by openssl at run time.
const hasOpenssl = ['/usr/bin/openssl', '/usr/local/bin/openssl', '/opt/homebrew/bin/openssl'].some(
  (path) => existsSync(path),
);
const dir = mkdtempSync(join(tmpdir(), 'einhorn-tls-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function certificate(): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
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
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

describe.runIf(hasOpenssl)('trackConnections (https.Server)', () => {
  it('answers a request on an idle kept-alive TLS socket with Connection: close during the drain, then closes cleanly', async () => {
    const server = createServer(certificate(), (_req, res) => res.end('ok'));
    const tracker = trackConnections(server);
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const socket = connect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      rejectUnauthorized: false,
    });
    await once(socket, 'secureConnect');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<boolean>((resolve) =>
      socket.once('close', (hadError: boolean) => {
        resolve(hadError);
      }),
    );
    const request = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
    socket.write(request);
    while (!received.endsWith('ok')) await once(socket, 'data');
    expect(received).toMatch(/Connection: keep-alive/i);
    const drained = tracker.drain({ idleGraceMs: 60_000 });
    received = '';
    socket.write(request);
    expect(await closed).toBe(false);
    expect(received).toMatch(/^HTTP\/1\.1 200[\s\S]*\r\nConnection: close\r\n[\s\S]*ok$/);
    server.close();
    await drained;
    expect(tracker.connections).toBe(0);
  });
});
