// HTTPS: pass an https.Server to serve(); nothing else changes. Requests are tracked on the TLS
// sockets, so the drain knows which connections are idle.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { serve } from '@einhorn/net';

const server = createServer(
  {
    key: readFileSync(process.env['TLS_KEY_FILE'] ?? 'tls/key.pem'),
    cert: readFileSync(process.env['TLS_CERT_FILE'] ?? 'tls/cert.pem'),
  },
  (_req, res) => {
    res.end(`Hello over TLS from ${process.pid}\n`);
  },
);
await serve(server, { fallback: { port: 3443 } });
