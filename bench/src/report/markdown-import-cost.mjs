// Detail tables of B10: one per Node version, every package (and the control) in both module
// systems, with medians (min–max) of import time, RSS growth and whole-process RSS.
import { summarize } from '../lib/stats.mjs';
import { CONTROL, FORBIDDEN_PACKAGES, IMPORT_PACKAGES } from '../suites/import-cost.mjs';
import { plain } from './format.mjs';
import { forbiddenLoaded, mibRange } from './targets-import-cost.mjs';

const label = (pkg) => (pkg === CONTROL ? 'control: an empty package' : pkg);

const forbiddenCell = (esm, cjs) =>
  [esm, cjs].some((r) => r.modules.forbidden.length > 0)
    ? `yes (modules: ESM ${forbiddenLoaded(esm)}; CJS ${forbiddenLoaded(cjs)})`
    : 'no';

/** A Node the profile did not time (quick times Node 24 only): the modules each import loads. */
function modulesTable(importCost, node, table, profile) {
  const runs = importCost.runs.filter((r) => r.node === node.id);
  const get = (pkg, mode) => runs.find((r) => r.package === pkg && r.mode === mode);
  return [
    `### Node ${node.version} (\`${node.path}\`): modules only`,
    `Not timed in profile ${profile} (the full profile times every Node); one run per configuration lists the modules loaded.`,
    table(
      ['package', 'modules loaded, ESM / CJS', `${FORBIDDEN_PACKAGES.join(' / ')} loaded`],
      IMPORT_PACKAGES.filter((pkg) => get(pkg, 'esm') && get(pkg, 'cjs')).map((pkg) => [
        label(pkg),
        `${get(pkg, 'esm').modules.total} / ${get(pkg, 'cjs').modules.total}`,
        forbiddenCell(get(pkg, 'esm'), get(pkg, 'cjs')),
      ]),
    ),
  ];
}

function nodeTable(importCost, node, table) {
  const runs = importCost.runs.filter((r) => r.node === node.id);
  const get = (pkg, mode) => runs.find((r) => r.package === pkg && r.mode === mode);
  const http = (mode) =>
    summarize(runs.filter((r) => r.mode === mode).flatMap((r) => r.samples.httpMs));
  return [
    `### Node ${node.version} (\`${node.path}\`)`,
    `Before the window every child imports node:http: \`import('node:http')\` took ${plain(http('esm'), 1, ' ms')}, \`require('node:http')\` ${plain(http('cjs'), 1, ' ms')} (over all of this Node's runs).`,
    table(
      [
        'package',
        'ESM `import()`',
        'ESM RSS growth',
        'CJS `require()`',
        'CJS RSS growth',
        'process RSS at end, ESM / CJS',
        'modules loaded, ESM / CJS',
        `${FORBIDDEN_PACKAGES.join(' / ')} loaded`,
      ],
      IMPORT_PACKAGES.filter((pkg) => get(pkg, 'esm') && get(pkg, 'cjs')).map((pkg) => {
        const esm = get(pkg, 'esm');
        const cjs = get(pkg, 'cjs');
        return [
          label(pkg),
          plain(esm.ms, 1, ' ms'),
          mibRange(esm.rssGrowthBytes),
          plain(cjs.ms, 1, ' ms'),
          mibRange(cjs.rssGrowthBytes),
          `${mibRange(esm.rssEndBytes, 1)} / ${mibRange(cjs.rssEndBytes, 1)}`,
          `${esm.modules.total} / ${cjs.modules.total}`,
          forbiddenCell(esm, cjs),
        ];
      }),
    ),
  ];
}

export function importCostSection(results, table) {
  const importCost = results.suites.importCost;
  if (!importCost) return [];
  const skipped = importCost.nodes.filter((n) => n.skipped);
  const ca = importCost.nodeExtraCaCerts
    ? `\`NODE_EXTRA_CA_CERTS\` was set (\`${importCost.nodeExtraCaCerts}\`) for every child`
    : '`NODE_EXTRA_CA_CERTS` was not set';
  return [
    '## Import cost (B10)',
    [
      `Each figure is the median (min–max) of ${importCost.reps} fresh Node processes per configuration, configurations (Node × package × ESM or CJS) interleaved A B C … A B C …, the order rotated every rep.`,
      'The child (`bench/src/import-cost/probe.mjs` or `probe.cjs`) runs in an app directory whose `node_modules` links the workspace packages, so they resolve to their built `dist` like in an app (no `@einhorn/source` condition, `NODE_OPTIONS` removed);',
      'it imports node:http, then times `import()` or `require()` of one package with `performance.now()` and reads `process.memoryUsage().rss` before and after it, and once more at the end.',
      `Modules loaded: ESM from a \`node:module\` resolve hook preloaded with \`--import\` in one untimed run per configuration, plus \`require.cache\` (every CJS run). ${ca}.`,
      importCost.nodes.some(
        (n) => !n.skipped && n.timed !== false && Number(n.version.split('.')[0]) >= 22,
      )
        ? "On Node ≥ 22, `import('node:http')` itself is slow (before the window, not in the figures): building its ESM namespace reads node:http's lazy `WebSocket`, `CloseEvent` and `MessageEvent` getters, which load undici."
        : '',
      skipped.length ? `Not run: ${skipped.map((n) => `${n.id} (${n.skipped})`).join('; ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ...importCost.nodes
      .filter((n) => !n.skipped)
      .flatMap((n) =>
        n.timed === false
          ? modulesTable(importCost, n, table, results.profile)
          : nodeTable(importCost, n, table),
      ),
  ];
}
