#!/usr/bin/env node
// Runs after tsup in a package directory (its `build` script). The implementation is built once,
// as CommonJS; for every `exports` entry this writes the `import` target, an ES module that
// re-exports the CommonJS build by name, and its types, `export * from './<entry>.cjs'`.
// See tsup.shared.ts for why there is a single copy of the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const pkgDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const require = createRequire(join(pkgDir, 'package.json'));

/** `./dist/index.cjs` seen from `./dist/index.js` → `./index.cjs`. */
function sibling(from, to) {
  const path = relative(dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
}

let written = 0;
for (const [subpath, entry] of Object.entries(manifest.exports ?? {})) {
  if (typeof entry !== 'object' || entry === null) continue;
  const esm = entry.import;
  const cjs = entry.require;
  if (esm === undefined || cjs === undefined) {
    throw new Error(`${manifest.name}: exports["${subpath}"] needs both "import" and "require"`);
  }
  const cjsFile = resolve(pkgDir, cjs.default);
  const esmFile = resolve(pkgDir, esm.default);
  const typesFile = resolve(pkgDir, esm.types);
  // Loading the build is safe: packages do no work at import time (a rule every package keeps).
  const names = Object.keys(require(cjsFile)).filter((name) => name !== 'default');
  const bad = names.filter((name) => !IDENTIFIER.test(name));
  if (bad.length > 0) throw new Error(`${cjsFile} exports names that are not identifiers: ${bad}`);
  const target = sibling(esmFile, cjsFile);
  // Named re-exports, which Node links through its CommonJS export detection (esbuild marks the
  // build's exports for it): a name Node could not see fails at load time, loudly, instead of
  // being undefined. Listing the names (rather than `export *`) also keeps a loader's `default`
  // interop, which differs between Node and Babel-style runners such as Vite's, out of the way.
  writeFileSync(esmFile, `export { ${names.join(', ')} } from '${target}';\n`);
  writeFileSync(typesFile, `export * from '${sibling(typesFile, cjsFile)}';\n`);
  written += 1;
}
if (written === 0) throw new Error(`${manifest.name}: no conditional exports to wrap`);
