import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  'NestJS 12 (fastify platform): app.init(), serve(app.getHttpServer(), { afterDrain: app.close })',
  fileURLToPath(new URL('../fixtures/nestjs-fastify.mjs', import.meta.url)),
);
