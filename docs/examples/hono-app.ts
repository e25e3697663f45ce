// A Hono app run as an Einhorn worker: createAdaptorServer() from @hono/node-server builds the
// node:http server without listening, and serve() from @einhorn/net adopts, ACKs and drains it.
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createHealthHandler, serve } from '@einhorn/net';

// #region app
const health = createHealthHandler(); // 200 while serving, 503 once draining

const app = new Hono<{ Bindings: HttpBindings }>(); // c.env: the node:http request and response
app.get('/healthz', (c) => {
  health(c.env.incoming, c.env.outgoing); // a plain (req, res) handler answers this one
  return RESPONSE_ALREADY_SENT;
});
app.get('/', (c) => c.text(`Hello from worker ${process.pid}\n`));
// #endregion app

// #region serve
// Not @hono/node-server's serve(), which listens on a port itself.
const server = createAdaptorServer({ fetch: app.fetch });
const handle = await serve(server, {
  fallback: { port: Number(process.env['PORT'] ?? '3000') }, // only when not under Einhorn
});
process.stderr.write(`hono worker ${process.pid} up (${handle.state})\n`);
// #endregion serve
