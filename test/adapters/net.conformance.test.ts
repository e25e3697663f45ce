import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  '@einhorn/net serve(http.Server)',
  fileURLToPath(new URL('../fixtures/net-http.mjs', import.meta.url)),
);
