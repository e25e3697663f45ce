// A Fastify 5 app run as an Einhorn worker by the @einhorn/fastify plugin.
import Fastify from 'fastify';
import { fastifyEinhorn, listenEinhorn } from '@einhorn/fastify';

const app = Fastify();

// #region register
await app.register(fastifyEinhorn, {
  healthPath: '/healthz', // GET: 200 while serving, 503 once draining
  timeoutMs: 20_000, // deadline for the drain and the onClose hooks
});
// #endregion register

// #region routes
app.get('/', () => ({
  pid: process.pid,
  childIndex: app.einhorn.context?.childIndex ?? null,
  draining: app.einhorn.isDraining,
}));

app.addHook('onReady', async () => {
  // Runs inside listenEinhorn() before the socket is adopted: warm caches, open pools.
  await warmCache();
});

app.addHook('onClose', async () => {
  // Runs after the drain, before the process exits: close pools and clients here.
  await Promise.resolve();
});
// #endregion routes

// #region listen
const address = await listenEinhorn(app, {
  fallback: { port: Number(process.env['PORT'] ?? '3000') }, // only when not under Einhorn
});
process.stderr.write(`fastify worker ${process.pid} up at ${address}\n`);
// #endregion listen

async function warmCache(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
