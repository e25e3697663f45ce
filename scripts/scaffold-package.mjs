// One-off generator for a package's boilerplate (kept so new packages match the others).
// Usage: node scripts/scaffold-package.mjs <dir-name> "<description>"
// Then: node scripts/package-metadata.mjs --write (publishing metadata, LICENSE), add the package
// to "fixed" in .changeset/config.json, and write its README (docs/contributing/releasing.md).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';

const [dir, description] = process.argv.slice(2);
if (!dir || !description) throw new Error('usage: scaffold-package.mjs <dir> <description>');
const root = `packages/${dir}`;
const write = (file, text) => {
  if (!existsSync(`${root}/${file}`)) writeFileSync(`${root}/${file}`, text);
};
mkdirSync(`${root}/src`, { recursive: true });
const entry = (name) => ({
  '@einhorn/source': `./src/${name}.ts`,
  import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
  require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
});
write(
  'package.json',
  JSON.stringify(
    {
      name: `@einhorn/${dir}`,
      version: '0.1.0',
      description,
      keywords: ['einhorn'],
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      exports: { '.': entry('index'), './package.json': './package.json' },
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.cts',
      files: ['dist', 'README.md', 'LICENSE'],
      engines: { node: '>=20' },
      scripts: {
        build: 'tsup && node ../../scripts/esm-wrappers.mjs',
        typecheck: 'tsc -p tsconfig.json',
        lint: 'eslint .',
        test: 'vitest run',
        'check:exports':
          'publint --strict && npm_config_ignore_scripts=true attw --pack . --profile node16',
        prepack: 'npm run build',
      },
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.json',
  JSON.stringify(
    { extends: '../../tsconfig.base.json', include: ['src', '*.config.ts'] },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.build.json',
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: { customConditions: [] },
      include: ['src'],
      exclude: ['src/**/*.test.ts', 'src/**/*.test-d.ts', 'src/**/*.test-helpers.ts'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsup.config.ts',
  `import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

export default defineConfig(packageBuild({ entry: { index: 'src/index.ts' } }));
`,
);
write(
  'vitest.config.ts',
  `import { packageTests } from '../../vitest.shared.ts';

export default packageTests(import.meta.dirname);
`,
);
write(
  'typedoc.json',
  JSON.stringify(
    {
      $schema: 'https://typedoc.org/schema.json',
      extends: ['../../typedoc.base.json'],
      entryPoints: ['src/index.ts'],
      readme: 'README.md',
    },
    null,
    2,
  ) + '\n',
);
