#!/usr/bin/env node
// Links a workspace package's bins into the root node_modules/.bin after it is built (run from
// the package directory by the build scripts of @einhorn/master (einhorn-node) and
// @einhorn/client (einhornsh-node)). On a fresh clone `npm ci` runs before dist/ exists, so npm
// links nothing and `npx einhornsh-node` would fail; this makes the links once the targets exist.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules/.bin');
const pkgDir = resolve(process.argv[2] ?? process.cwd());
const { bin } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
mkdirSync(binDir, { recursive: true });
for (const [name, binPath] of Object.entries(bin)) {
  const file = join(pkgDir, binPath);
  if (!existsSync(file)) continue;
  chmodSync(file, 0o755);
  const link = join(binDir, name);
  const target = relative(binDir, file);
  let current;
  try {
    current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : null;
  } catch {
    current = undefined;
  }
  if (current === target || current === null) continue; // linked already, or a real file: keep
  // A link left by an older layout (einhornsh-node used to be built by @einhorn/master) is replaced.
  if (current !== undefined) unlinkSync(link);
  symlinkSync(target, link);
}
