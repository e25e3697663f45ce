// The Koa app: every topology that benchmarks Koa serves exactly this app.
import Koa from 'koa';

/** `GET /` → a 12-byte body; anything else → Koa's 404. */
export function createApp() {
  const app = new Koa();
  app.use((ctx) => {
    if (ctx.path !== '/') return;
    ctx.type = 'text/plain';
    ctx.body = 'hello world\n';
  });
  return app;
}
