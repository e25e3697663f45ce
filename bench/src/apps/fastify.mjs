// The Fastify app: every topology that benchmarks Fastify serves exactly this app. The einhorn
// topology registers the adapter plugin first (`setup`); the routes are the same everywhere.
import Fastify from 'fastify';

/** `GET /` → a 12-byte body. */
export async function createApp(setup) {
  const app = Fastify({ logger: false });
  if (setup) await setup(app);
  app.get('/', async (_req, reply) => {
    reply.type('text/plain');
    return 'hello world\n';
  });
  return app;
}
