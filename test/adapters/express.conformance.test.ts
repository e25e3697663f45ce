import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

describeAdapterConformance(
  '@einhorn/express serveExpress(express())',
  fileURLToPath(new URL('../fixtures/express.mjs', import.meta.url)),
);
