import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  '@einhorn/fastify fastifyEinhorn + listenEinhorn',
  fileURLToPath(new URL('../fixtures/fastify.mjs', import.meta.url)),
);
