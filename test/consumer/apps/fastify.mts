// Fastify 5, TypeScript ESM.
import Fastify from 'fastify';
import { fastifyEinhorn, listenEinhorn } from '@einhorn/fastify';

const app = Fastify();
await app.register(fastifyEinhorn);
app.get('/', async () => ({ pid: process.pid, app: 'fastify' }));
await listenEinhorn(app);
