import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '../helpers/adapter-conformance.ts';

// The guides' pattern for servers users listen themselves: drainOnShutdown() + listenOnFd() + ack().
describeAdapterConformance(
  'drainOnShutdown() + listenOnFd() + ack() by hand',
  fileURLToPath(new URL('../fixtures/net-handwritten.mjs', import.meta.url)),
);
