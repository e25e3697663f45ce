// A Koa app run as an Einhorn worker: app.callback() is a plain (req, res) listener, so the
// http.Server built from it goes to serve() from @einhorn/net like any other.
import { createServer } from 'node:http';
import Koa from 'koa';
import { createHealthHandler, serve } from '@einhorn/net';

// #region app
const health = createHealthHandler(); // 200 while serving, 503 once draining

const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path !== '/healthz') return next();
  ctx.respond = false; // Koa leaves this response to the plain (req, res) handler
  health(ctx.req, ctx.res);
});
app.use((ctx) => {
  ctx.body = `Hello from worker ${process.pid}\n`;
});
// #endregion app

// #region serve
const handle = await serve(createServer(app.callback()), {
  fallback: { port: Number(process.env['PORT'] ?? '3000') }, // only when not under Einhorn
  afterDrain: async () => {
    await closeDatabasePool(); // every request has been answered: nothing uses the pool now
  },
});
process.stderr.write(`koa worker ${process.pid} up (${handle.state})\n`);
// #endregion serve

async function closeDatabasePool(): Promise<void> {
  await Promise.resolve(); // stands in for pool.end()
}
