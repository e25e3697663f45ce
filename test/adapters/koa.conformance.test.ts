import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  'Koa 3: serve(createServer(app.callback()))',
  fileURLToPath(new URL('../fixtures/koa.mjs', import.meta.url)),
);
