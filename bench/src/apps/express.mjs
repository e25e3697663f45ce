// The Express app: every topology that benchmarks Express serves exactly this app.
import express from 'express';

/** `GET /` → a 12-byte body, with Express's default headers (ETag, X-Powered-By). */
export function createApp() {
  const app = express();
  app.get('/', (_req, res) => {
    res.type('text/plain').send('hello world\n');
  });
  return app;
}
