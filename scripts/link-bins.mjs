#!/usr/bin/env node
// Links the workspace bins (einhorn-node, einhornsh-node) into the root node_modules/.bin after
// @einhorn/master is built. On a fresh clone `npm ci` runs before dist/ exists, so npm links
// nothing and `npx einhornsh-node` would fail; this makes the links once the targets exist.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules/.bin');
const pkgDir = join(root, 'packages/master');
const { bin } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
mkdirSync(binDir, { recursive: true });
for (const [name, target] of Object.entries(bin)) {
  const file = join(pkgDir, target);
  if (!existsSync(file)) continue;
  chmodSync(file, 0o755);
  const link = join(binDir, name);
  let present = false;
  try {
    lstatSync(link);
    present = true;
  } catch {
    present = false;
  }
  if (!present) symlinkSync(relative(binDir, file), link);
}
