// Runs once before the integration suite. The deployment recipes (docs/deploy) call the bin links
// npm makes in node_modules/.bin; the builds of @einhorn/master (einhorn-node) and @einhorn/client
// (einhornsh-node) create them (scripts/link-bins.mjs),
// but a build replayed from turbo's cache restores dist/ without running that step. Linking here
// (idempotent) keeps the suite independent of how dist/ came to be.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const linkBins = join(import.meta.dirname, '../scripts/link-bins.mjs');
  for (const pkg of ['master', 'client']) {
    const dir = join(import.meta.dirname, '../packages', pkg);
    const result = spawnSync(process.execPath, [linkBins, dir], { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(
        `scripts/link-bins.mjs ${pkg} failed (${String(result.status)}):\n${result.stderr}`,
      );
  }
}
