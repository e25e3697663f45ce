#!/usr/bin/env node
// Packs every package under packages/* exactly as `npm publish` would, into one directory:
//
//   npm run pack:all                        build (turbo, cached), then dist-tarballs/*.tgz
//   node scripts/pack-all.mjs --out DIR --no-build   pack an existing build (the release tests)
//
// Writes DIR/packages.json: name, version, tarball, packed and unpacked size, and the file list
// of each tarball. Install the tarballs together (they depend on each other):
//   npm install /path/to/dist-tarballs/*.tgz
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, publishedPackages } from './package-metadata.mjs';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'dist-tarballs') },
    'no-build': { type: 'boolean', default: false },
  },
});
const out = resolve(values.out);

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  return result.stdout;
}

/** Packs and describes every package; returns the parsed `npm pack --json` entries. */
function packAll() {
  if (!values['no-build']) run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(out)) {
    if (file.endsWith('.tgz')) rmSync(join(out, file));
  }
  const packages = publishedPackages();
  // dist/ is built (turbo above, or by the caller); prepack would only build it again, and must
  // not rewrite dist/ under tests that read it.
  const json = run('npm', [
    'pack',
    '--json',
    '--ignore-scripts',
    `--pack-destination=${out}`,
    ...packages.map((pkg) => `--workspace=${pkg.rel}`),
  ]);
  const entries = JSON.parse(json).map((entry) => ({
    name: entry.name,
    version: entry.version,
    tarball: join(out, entry.filename),
    size: entry.size,
    unpackedSize: entry.unpackedSize,
    files: entry.files.map((file) => file.path).sort(),
  }));
  writeFileSync(join(out, 'packages.json'), `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}

for (const entry of packAll()) {
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  console.log(`${entry.tarball}  ${kB(entry.size)} packed, ${kB(entry.unpackedSize)} unpacked`);
}
