// B10 from the import-cost suite: time and RSS of importing each worker-side package over
// node:http on Node 24, and no zod or yaml module loaded on any Node.
import { CONTROL, FORBIDDEN_PACKAGES, IMPORT_PACKAGES } from '../suites/import-cost.mjs';
import { plain } from './format.mjs';
import { row } from './verdict.mjs';

const MIB = 2 ** 20;
export const B10 = { maxMs: 10, maxRssBytes: 3 * MIB, nodeMajor: 24 };

export const MODES = { esm: 'ESM import()', cjs: 'CJS require()' };

const major = (version) => Number(version.split('.')[0]);

/** `18.46 MiB (17.10–19.02)` from a summary in bytes. */
export function mibRange(summary, digits = 2) {
  if (!summary) return 'n/a';
  const { median, min, max, n } = summary;
  return plain({ median: median / MIB, min: min / MIB, max: max / MIB, n }, digits, ' MiB');
}

/** `zod 95, yaml 72` (modules per forbidden package), or `none`. */
export function forbiddenLoaded(run) {
  const names = run.modules.forbidden;
  return names.length === 0
    ? 'none'
    : names.map((name) => `${name} ${run.modules.byPackage[name]}`).join(', ');
}

function controlNote(run, control) {
  const overMs = run.ms.median - control.ms.median;
  const overMiB = (run.rssGrowthBytes.median - control.rssGrowthBytes.median) / MIB;
  const floor = [
    control.ms.median > B10.maxMs && 'time',
    control.rssGrowthBytes.median > B10.maxRssBytes && 'RSS',
  ].filter(Boolean);
  return [
    `Control (an empty package with \`exports\`, resolved the same way): ${plain(control.ms, 1, ' ms')}, ${mibRange(control.rssGrowthBytes)}; the package minus the control: ${overMs.toFixed(1)} ms, ${overMiB.toFixed(2)} MiB.`,
    floor.length
      ? `The control alone is over the ${floor.join(' and ')} bound: the first package a process loads pays for Node's package resolution code.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function timeAndRss(importCost, node, pkg) {
  return Object.keys(MODES).map((mode) => {
    const scope = `${pkg}, ${MODES[mode]}, Node ${node?.version ?? '24 (not run)'}`;
    const figure = 'import time and RSS growth over node:http, fresh process';
    const target = `≤ ${B10.maxMs} ms and ≤ ${B10.maxRssBytes / MIB} MiB`;
    const find = (name) =>
      importCost.runs.find((r) => r.node === node?.id && r.package === name && r.mode === mode);
    const run = find(pkg);
    if (!run) return row({ id: 'B10', scope, figure, target, measured: 'n/a', met: null });
    const control = find(CONTROL);
    const slow = run.ms.median > B10.maxMs;
    const big = run.rssGrowthBytes.median > B10.maxRssBytes;
    const note = [
      slow || big
        ? `Missed on ${[slow && 'time', big && 'RSS'].filter(Boolean).join(' and ')}.`
        : '',
      control ? controlNote(run, control) : '',
      run.modules.forbidden.length > 0
        ? `Loads ${run.modules.total} modules, of which ${forbiddenLoaded(run)}.`
        : `Loads ${run.modules.total} modules.`,
    ];
    return row({
      id: 'B10',
      scope,
      figure,
      target,
      measured: `${plain(run.ms, 1, ' ms')}; RSS ${mibRange(run.rssGrowthBytes)}`,
      met: !slow && !big,
      note: note.filter(Boolean).join(' '),
    });
  });
}

function noForbidden(importCost, pkg) {
  const runs = importCost.runs.filter((r) => r.package === pkg);
  const versions = [...new Set(runs.map((r) => r.nodeVersion))];
  const perRun = runs.map(
    (r) => `Node ${r.nodeVersion} ${r.mode.toUpperCase()}: ${forbiddenLoaded(r)}`,
  );
  const same = new Set(runs.map(forbiddenLoaded)).size === 1;
  return row({
    id: 'B10',
    scope: `${pkg}, Node ${versions.join(' / ') || 'none run'}, ESM and CJS`,
    figure: `${FORBIDDEN_PACKAGES.join(' or ')} modules loaded by the import`,
    target: 'none',
    measured:
      runs.length === 0
        ? 'n/a'
        : same
          ? `${forbiddenLoaded(runs[0])} (modules), the same on every Node in both module systems`
          : perRun.join('; '),
    met: runs.length === 0 ? null : runs.every((r) => r.modules.forbidden.length === 0),
  });
}

export function importCostTargets(importCost) {
  if (!importCost) return [];
  const node24 = importCost.nodes.find(
    (n) => !n.skipped && n.timed !== false && major(n.version) === B10.nodeMajor,
  );
  return IMPORT_PACKAGES.filter((pkg) => pkg !== CONTROL).flatMap((pkg) => [
    ...timeAndRss(importCost, node24, pkg),
    noForbidden(importCost, pkg),
  ]);
}
