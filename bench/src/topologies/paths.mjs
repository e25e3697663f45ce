// Where the benchmark's server programs and the built einhorn-node CLI live.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const server = (name) => fileURLToPath(new URL(`../servers/${name}`, import.meta.url));

export const SERVERS = {
  port: server('port-server.mjs'),
  sdkWorker: server('einhorn-sdk-worker.mjs'),
  bareWorker: server('einhorn-bare-worker.mjs'),
  clusterPrimary: server('cluster-primary.mjs'),
};

/** The built `einhorn-node` CLI; throws with the fix when it has not been built. */
export function masterCli() {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('@einhorn/master/package.json')), 'dist/cli.cjs');
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: run \`npx turbo run build\` in the repository root first.`);
  return cli;
}
