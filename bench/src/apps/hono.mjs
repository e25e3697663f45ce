// The Hono app (on @hono/node-server): every topology that benchmarks Hono serves exactly this app.
import { Hono } from 'hono';

/** `GET /` → a 12-byte body; anything else → Hono's 404. */
export function createApp() {
  const app = new Hono();
  app.get('/', (c) => c.text('hello world\n'));
  return app;
}
