#!/usr/bin/env node
// The publishing metadata every package under packages/* must carry, defined once.
//
//   node scripts/package-metadata.mjs          check every package; exit 1 with what to fix
//   node scripts/package-metadata.mjs --write  write the generated fields and LICENSE files
//
// Generated (written by --write, checked exactly): repository (with directory), homepage, bugs,
// license, files, engines, publishConfig, the prepack script, internal dependency ranges, and
// packages/<p>/LICENSE (a copy of the root LICENSE). Hand-written (checked for presence):
// description, keywords, README.md. docs/contributing/releasing.md documents all of it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The canonical repository; every URL in package metadata and in README links derives from it. */
export const REPOSITORY = 'https://github.com/einhorn-node/einhorn-node';
/** The branch README links point at (absolute links, so they work on the registry's page). */
export const DOCS_BRANCH = 'main';
/** What a package ships besides package.json: its build, README and LICENSE. No maps, no src. */
export const FILES = ['dist', 'README.md', 'LICENSE'];

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every directory under packages/ that has a package.json: all of them are published. */
export function publishedPackages() {
  const base = join(ROOT, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(base, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { dir, rel: `packages/${entry.name}`, manifest };
    })
    .sort((a, b) => a.rel.localeCompare(b.rel));
}

/** The fields generated for the package in `rel` (e.g. `packages/net`). */
export function generatedFields(rel) {
  return {
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: rel },
    homepage: `${REPOSITORY}/tree/${DOCS_BRANCH}/${rel}#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
    files: FILES,
    engines: { node: '>=20' },
    publishConfig: { access: 'public' },
  };
}

/**
 * Scripts every package shares. `npm pack` and `npm publish` build first (prepack). attw packs
 * the package itself; it must not rebuild dist/ while other turbo tasks read it, hence
 * ignore-scripts (publint already packs that way).
 */
export const SCRIPTS = {
  prepack: 'npm run build',
  'check:exports':
    'publint --strict && npm_config_ignore_scripts=true attw --pack . --profile node16',
};

/** Internal dependencies use caret ranges on the current version, which changesets bumps. */
function internalRange(version) {
  return `^${version}`;
}

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** What is wrong with one package, as sentences that say what to do. */
export function problems(pkg, versions) {
  const { manifest, rel, dir } = pkg;
  const found = [];
  const name = manifest.name ?? rel;
  for (const [field, value] of Object.entries(generatedFields(rel))) {
    if (JSON.stringify(manifest[field]) !== JSON.stringify(value)) {
      found.push(
        `${name}: "${field}" must be ${JSON.stringify(value)}, found ${JSON.stringify(manifest[field])}`,
      );
    }
  }
  if (!manifest.name?.startsWith('@einhorn/')) found.push(`${rel}: "name" must be @einhorn/<name>`);
  if (manifest.private === true) found.push(`${name}: packages/* are published; drop "private"`);
  if (typeof manifest.description !== 'string' || manifest.description.length < 20) {
    found.push(`${name}: needs a "description" (one sentence, shown in search results)`);
  }
  if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes('einhorn')) {
    found.push(`${name}: needs "keywords", including "einhorn"`);
  }
  for (const [script, command] of Object.entries(SCRIPTS)) {
    if (manifest.scripts?.[script] !== command) {
      found.push(`${name}: "scripts.${script}" must be ${JSON.stringify(command)}`);
    }
  }
  if (!existsSync(join(dir, 'README.md'))) found.push(`${name}: needs a README.md`);
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  if (!existsSync(join(dir, 'LICENSE')) || readFileSync(join(dir, 'LICENSE'), 'utf8') !== license) {
    found.push(`${name}: needs LICENSE, a copy of the root LICENSE (run with --write)`);
  }
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      const version = versions.get(dep);
      if (version !== undefined && range !== internalRange(version)) {
        found.push(
          `${name}: ${field}["${dep}"] must be "${internalRange(version)}", found "${range}"`,
        );
      }
    }
  }
  return found;
}

/** Applies the generated fields, keeping the key order of the rest of the manifest. */
function write(pkg, versions) {
  const { manifest, rel, dir } = pkg;
  Object.assign(manifest, generatedFields(rel));
  manifest.scripts = { ...manifest.scripts, ...SCRIPTS };
  for (const field of DEPENDENCY_FIELDS) {
    for (const dep of Object.keys(manifest[field] ?? {})) {
      const version = versions.get(dep);
      if (version !== undefined) manifest[field][dep] = internalRange(version);
    }
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'LICENSE'), readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
}

/** Private workspaces (examples, tests, bench) take whatever version the workspace has: `*`. */
function privateWorkspaceProblems(versions) {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dirs = root.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const base = pattern.slice(0, -2);
    return readdirSync(join(ROOT, base)).map((name) => `${base}/${name}`);
  });
  const found = [];
  for (const rel of dirs) {
    const file = join(ROOT, rel, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.private !== true) continue;
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (versions.has(dep) && range !== '*') {
          found.push(
            `${rel}: ${field}["${dep}"] must be "*" (private workspaces are not versioned)`,
          );
        }
      }
    }
  }
  return found;
}

/** Every published package belongs to the one fixed version group of .changeset/config.json. */
function changesetProblems(packages) {
  const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8'));
  const group = new Set(config.fixed?.[0] ?? []);
  return packages
    .filter((pkg) => !group.has(pkg.manifest.name))
    .map((pkg) => `${pkg.manifest.name}: add it to "fixed"[0] in .changeset/config.json`);
}

function main() {
  const packages = publishedPackages();
  const versions = new Map(packages.map((pkg) => [pkg.manifest.name, pkg.manifest.version]));
  if (process.argv.includes('--write')) {
    for (const pkg of packages) write(pkg, versions);
  }
  const found = [
    ...packages.flatMap((pkg) => problems(pkg, versions)),
    ...privateWorkspaceProblems(versions),
    ...changesetProblems(packages),
  ];
  if (found.length > 0) {
    console.error(`Package metadata is incomplete (see docs/contributing/releasing.md):`);
    for (const line of found) console.error(`  - ${line}`);
    process.exit(1);
  }
  console.log(`package metadata: ${packages.length} packages OK`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
