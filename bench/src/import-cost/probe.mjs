// B10 child, ESM: `node probe.mjs SPECIFIER`, run from an app directory whose node_modules holds
// the package. Imports node:http first (every server app does), then times `import(SPECIFIER)`
// and the RSS it adds, and prints one JSON line. Started with `--import ./trace-register.mjs`, it
// also lists the modules that import resolved (the trace run; its timings are not used).
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const specifier = process.argv[2];
// First use of both clocks outside the window: `performance` is a lazily loaded global.
performance.now();
process.memoryUsage();

const httpStarted = performance.now();
await import('node:http');
const httpMs = performance.now() - httpStarted;

const trace = globalThis[Symbol.for('einhorn.bench.trace')];
const cjsCache = createRequire(import.meta.url).cache;
const cjsBefore = new Set(Object.keys(cjsCache));
trace?.drain(); // what resolved before the window (this file, node:http) is not the package's

const rssBefore = process.memoryUsage().rss;
const started = performance.now();
await import(specifier);
const ms = performance.now() - started;
const rssAfter = process.memoryUsage().rss;

// Modules loaded by the import: ESM through the resolve hook (trace runs only), CommonJS through
// require.cache (a package imported from ESM may still load CommonJS dependencies).
const files = new Set(Object.keys(cjsCache).filter((file) => !cjsBefore.has(file)));
for (const url of trace?.drain() ?? []) if (url.startsWith('file:')) files.add(fileURLToPath(url));
const entry = fileURLToPath(import.meta.resolve(specifier));

writeSync(
  1,
  `${JSON.stringify({
    node: process.versions.node,
    mode: 'esm',
    traced: trace !== undefined,
    specifier,
    entry,
    httpMs,
    ms,
    rssBefore,
    rssAfter,
    rssEnd: process.memoryUsage().rss,
    files: [...files],
  })}\n`,
);
process.exit(0);
