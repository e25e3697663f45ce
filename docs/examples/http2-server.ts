// HTTP/2: pass a node:http2 server to serve(), TLS (createSecureServer) or cleartext h2c
// (createServer). On drain every session gets a GOAWAY, its open streams finish, and it is
// closed after the grace period (idleGraceMs); what is left at the deadline is destroyed.
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import { serve } from '@einhorn/net';

const server = createSecureServer(
  {
    key: readFileSync(process.env['TLS_KEY_FILE'] ?? 'tls/key.pem'),
    cert: readFileSync(process.env['TLS_CERT_FILE'] ?? 'tls/cert.pem'),
  },
  (_req, res) => {
    res.end(`Hello over HTTP/2 from pid ${process.pid}\n`);
  },
);
await serve(server, { idleGraceMs: 1000, fallback: { port: 3443 } });
