#!/usr/bin/env node
// After `changeset version`: einhorn-node reports its version (ehlo, --version, upgrade logs) from
// a constant; rewrite it from packages/master/package.json (a unit test checks they match).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const master = join(dirname(fileURLToPath(import.meta.url)), '../packages/master');
const { version } = JSON.parse(readFileSync(join(master, 'package.json'), 'utf8'));
const file = join(master, 'src/state/version.ts');
const source = readFileSync(file, 'utf8');
const updated = source.replace(
  /export const EINHORN_NODE_VERSION = '[^']*';/,
  `export const EINHORN_NODE_VERSION = '${version}';`,
);
if (!updated.includes(`'${version}'`)) throw new Error(`${file}: EINHORN_NODE_VERSION not found`);
writeFileSync(file, updated);
