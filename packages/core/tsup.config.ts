import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

// Four entries: "." and "./paths" stay free of zod and yaml (the optional peers), which only the
// "./schema" and "./yaml" entries import. test/core/no-optional-peers.test.ts checks the output.
export default defineConfig(
  packageBuild({ entry: ['src/index.ts', 'src/schema.ts', 'src/yaml.ts', 'src/paths.ts'] }),
);
