import { defineConfig } from 'vitest/config';

// Integration tests run against the built `dist` of every package (no source condition), in
// separate processes, and spawn real workers and masters with the Node binary in EINHORN_TEST_NODE.
const nodeLabel = process.env['EINHORN_TEST_NODE_LABEL'] ?? 'node';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // release/ and consumer/ run once, in their own project (vitest.release.config.ts).
    exclude: ['**/node_modules/**', 'release/**', 'consumer/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // expect.poll waits for an event; its 1 s default is too short on a loaded 2-core machine.
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default', 'json'],
    outputFile: { json: `${import.meta.dirname}/../.test-results/integration-${nodeLabel}.json` },
  },
});
