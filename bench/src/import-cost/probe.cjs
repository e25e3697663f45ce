// B10 child, CommonJS: `node probe.cjs SPECIFIER`, run from an app directory whose node_modules
// holds the package. Requires node:http first (every server app does), then times
// `require(SPECIFIER)` and the RSS it adds, and prints one JSON line with the modules it loaded
// (the require.cache entries it added).
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- this child measures require() itself */
const { writeSync } = require('node:fs');

const specifier = process.argv[2];
// First use of both clocks outside the window: `performance` is a lazily loaded global.
performance.now();
process.memoryUsage();

const httpStarted = performance.now();
require('node:http');
const httpMs = performance.now() - httpStarted;

const before = new Set(Object.keys(require.cache));
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
require(specifier);
const ms = performance.now() - started;
const rssAfter = process.memoryUsage().rss;

const files = Object.keys(require.cache).filter((file) => !before.has(file));
writeSync(
  1,
  `${JSON.stringify({
    node: process.versions.node,
    mode: 'cjs',
    traced: true,
    specifier,
    entry: require.resolve(specifier),
    httpMs,
    ms,
    rssBefore,
    rssAfter,
    rssEnd: process.memoryUsage().rss,
    files,
  })}\n`,
);
process.exit(0);
