// A node:http2 server run as an Einhorn worker by @einhorn/net's serve(): it adopts the socket the
// master passes down, ACKs, and on SIGUSR2, SIGTERM or SIGINT sends GOAWAY to every session, lets
// the open streams finish, closes the sessions and exits.
// TLS by default, with a self-signed localhost certificate made with openssl at start-up (or the
// files named by TLS_KEY_FILE and TLS_CERT_FILE); `--h2c` serves cleartext HTTP/2 (prior knowledge).
// Outside Einhorn it listens on $PORT (default 3000).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer, createServer } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@einhorn/net';

const MAX_SLOW_MS = 60_000;
const h2c = process.argv.includes('--h2c');

/** A one-day self-signed certificate for localhost (P-256), made by openssl in a temporary directory. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'example-http2-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
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
      ].concat(
        ['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'],
        ['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ),
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function certificate(): { key: Buffer; cert: Buffer } {
  const keyFile = process.env['TLS_KEY_FILE'];
  const certFile = process.env['TLS_CERT_FILE'];
  if (keyFile !== undefined && certFile !== undefined)
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  return selfSignedCertificate();
}

function reply(res: Http2ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** `ms` from `/slow?ms=N`: an integer in [0, 60000], or undefined. */
function slowMs(value: string | null): number | undefined {
  const ms = Number(value ?? '0');
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_SLOW_MS ? ms : undefined;
}

function app(req: Http2ServerRequest, res: Http2ServerResponse): void {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'GET') {
    reply(res, 405, 'Only GET is served here.');
  } else if (url.pathname === '/') {
    reply(res, 200, `Hello from pid ${process.pid} over HTTP/2`);
  } else if (url.pathname === '/slow') {
    const ms = slowMs(url.searchParams.get('ms'));
    if (ms === undefined) reply(res, 400, `ms must be an integer between 0 and ${MAX_SLOW_MS}.`);
    else {
      setTimeout(() => {
        reply(res, 200, `Slept ${ms} ms in pid ${process.pid}`);
      }, ms);
    }
  } else {
    reply(res, 404, 'Not found.');
  }
}

const server = h2c ? createServer(app) : createSecureServer(certificate(), app);
const port = Number(process.env['PORT'] ?? '3000');
const handle = await serve(server, { fallback: { port } });
const where =
  handle.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${handle.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-http2: pid ${process.pid} listening (${h2c ? 'h2c' : 'TLS'}) on ${where} at ${JSON.stringify(server.address())}\n`,
);
