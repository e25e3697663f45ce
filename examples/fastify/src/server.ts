// A Fastify 5 app run as an Einhorn worker by @einhorn/fastify: listenEinhorn() adopts the
// socket the master passes down and ACKs; on SIGUSR2, SIGTERM or SIGINT the plugin drains (kept-alive clients get
// `Connection: close`, never a reset), runs app.close() and its onClose hooks, and exits.
// Outside Einhorn it listens on $PORT (default 3000).
import Fastify from 'fastify';
import { fastifyEinhorn, listenEinhorn } from '@einhorn/fastify';

const MAX_SLOW_MS = 60_000;

const app = Fastify();
await app.register(fastifyEinhorn, { healthPath: '/healthz' }); // 503 once draining starts

function greeting(): string {
  const childIndex = app.einhorn.context?.childIndex;
  return `pid ${process.pid}${childIndex === undefined ? '' : ` (child index ${childIndex})`}`;
}

app.get('/', (_request, reply) => {
  void reply.type('text/plain');
  return `Hello from ${greeting()}\n`;
});

app.get<{ Querystring: { ms: number } }>(
  '/slow',
  {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          ms: { type: 'integer', minimum: 0, maximum: MAX_SLOW_MS, default: 0 },
        },
      },
    },
  },
  async (request, reply) => {
    const { ms } = request.query;
    await new Promise((resolve) => setTimeout(resolve, ms));
    void reply.type('text/plain');
    return `Slept ${ms} ms in ${greeting()}\n`;
  },
);

app.addHook('onClose', (_instance, done) => {
  process.stderr.write(`example-fastify: pid ${process.pid} closed\n`);
  done();
});

const port = Number(process.env['PORT'] ?? '3000');
const address = await listenEinhorn(app, { fallback: { port } });
const where =
  app.einhorn.context === undefined
    ? `port ${port} (not under Einhorn)`
    : `Einhorn fd, child index ${app.einhorn.context.childIndex ?? '?'}`;
process.stderr.write(
  `example-fastify: pid ${process.pid} listening on ${where} at ${JSON.stringify(address)}\n`,
);
