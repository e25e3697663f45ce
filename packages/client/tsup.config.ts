import { defineConfig } from 'tsup';
import { binBuild, packageBuild } from '../../tsup.shared.ts';

// The library (CommonJS + ES module wrapper) and the einhornsh-node bin (ES module only). The
// library build cleans dist/ first; the bin build adds to it.
export default defineConfig([
  packageBuild({ entry: { index: 'src/index.ts' } }),
  binBuild({ 'shell-cli': 'src/cli/einhornsh-node.ts' }),
]);
