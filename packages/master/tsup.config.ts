import { defineConfig } from 'tsup';
import { packageBuild, standaloneBinBuild } from '../../tsup.shared.ts';

// The library (CommonJS + ES module wrapper) and the einhorn-node bin (one CommonJS file). The
// library build cleans dist/ first; the bin build adds to it.
export default defineConfig([
  packageBuild({ entry: { index: 'src/index.ts' } }),
  standaloneBinBuild({ cli: 'src/cli/einhorn-node.ts' }),
]);
