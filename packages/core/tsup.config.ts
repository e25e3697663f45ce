import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

// Four entries: "." and "./paths" stay free of zod and yaml (the optional peers). Only "./schema"
// imports zod; yaml is required on first use (src/protocol/load-yaml.ts) through
// `createRequire(import.meta.url)`, which `shims` gives a value in the CommonJS build.
// test/core/no-optional-peers.test.ts checks the output.
export default defineConfig(
  packageBuild({
    shims: true,
    entry: {
      index: 'src/index.ts',
      schema: 'src/schema.ts',
      yaml: 'src/yaml.ts',
      paths: 'src/paths.ts',
    },
  }),
);
