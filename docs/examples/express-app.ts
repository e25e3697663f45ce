// An Express app run as an Einhorn worker by serveExpress() from @einhorn/express.
import express from 'express';
import {
  createHealthHandler,
  exposeWorkerInfo,
  getWorkerInfo,
  serveExpress,
} from '@einhorn/express';
import type { WorkerInfo } from '@einhorn/express';

// #region locals
// Types res.locals.einhorn, which exposeWorkerInfo() fills in (Express's own augmentation point).
declare module 'express-serve-static-core' {
  interface Locals {
    einhorn: WorkerInfo;
  }
}
// #endregion locals

// #region app
const app = express();
app.use(exposeWorkerInfo()); // res.locals.einhorn = { pid, childIndex, context, isDraining }
app.get('/healthz', createHealthHandler()); // 200 while serving, 503 once draining

app.get('/', (_req, res) => {
  const { pid, childIndex } = res.locals.einhorn;
  res.type('text').send(`Hello from pid ${pid} (child index ${childIndex ?? 'none'})\n`);
});

app.get('/whoami', (req, res) => {
  const { pid, childIndex, isDraining } = getWorkerInfo(req); // works without the middleware too
  res.json({ pid, childIndex: childIndex ?? null, isDraining });
});

app.get('/report', async (_req, res) => {
  res.json(await buildReport());
});
// #endregion app

async function buildReport(): Promise<{ readonly generatedAt: string }> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { generatedAt: new Date().toISOString() };
}

// #region serve
await buildReport(); // warm up before listening: the first request already finds a warm cache

const handle = await serveExpress(app, {
  fallback: { port: Number(process.env['PORT'] ?? '3000') }, // only when not under Einhorn
  serverOptions: { requestTimeout: 30_000 }, // http.createServer(serverOptions, app)
  timeoutMs: 20_000, // drain deadline: what is left is destroyed, the worker exits with 3
  afterDrain: async () => {
    // Runs once every connection has closed: no request uses the pool any more.
    await closeDatabasePool();
  },
});
process.stderr.write(`express worker ${process.pid} up (${handle.state})\n`);
// #endregion serve

async function closeDatabasePool(): Promise<void> {
  await Promise.resolve(); // stands in for pool.end()
}
