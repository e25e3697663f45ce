import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  'Hono 4: serve(createAdaptorServer({ fetch: app.fetch }))',
  fileURLToPath(new URL('../fixtures/hono.mjs', import.meta.url)),
);
