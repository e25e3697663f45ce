import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  'NestJS 12 (express platform): app.init(), serve(app.getHttpServer(), { afterDrain: app.close })',
  fileURLToPath(new URL('../fixtures/nestjs-express.mjs', import.meta.url)),
);
