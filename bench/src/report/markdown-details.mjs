// Detail tables of docs/benchmarks.md: every configuration measured, not only the targets.
import { frameworkLabel } from '../apps/index.mjs';
import { TOPOLOGIES } from '../topologies/index.mjs';
import { UPGRADE_VARIANTS } from '../suites/upgrade.mjs';
import { fairnessRows, throughputRows, upgradeRows } from './analyze.mjs';
import { kiloRange, list, plain, ratio } from './format.mjs';
import { frameworkSection } from './markdown-frameworks.mjs';
import { importCostSection } from './markdown-import-cost.mjs';
import { probeSections, startupSection } from './markdown-probes.mjs';

function throughputSections(results, table) {
  const rows = throughputRows(results.suites.throughput);
  return (results.suites.throughput ?? []).flatMap((group) => {
    const mine = rows.filter((r) => r.framework === group.framework && r.workers === group.workers);
    const get = (id, load) => mine.find((r) => r.topology === id && r.load === load);
    const title = `### ${frameworkLabel(group.framework)}, N = ${group.workers}${group.workers > 2 ? ' — scheduler-bound on 2 vCPU' : ''}`;
    const body = table(
      [
        'topology',
        'keep-alive req/s',
        '× RR',
        'p50 / p99 ms',
        'close req/s',
        '× RR',
        'req/CPU-s keep-alive (× RR)',
        'req/CPU-s close (× RR)',
        'master or primary CPU s per 10 s (close)',
        'Jain conn. (close)',
        'failed',
      ],
      group.topologies
        .filter(({ id }) => get(id, 'keepalive'))
        .map(({ id, label }) => {
          const ka = get(id, 'keepalive');
          const cl = get(id, 'close');
          return [
            label,
            kiloRange(ka.rps),
            ratio(ka.rpsVsRr),
            `${ka.p50Ms.median.toFixed(2)} / ${ka.p99Ms.median.toFixed(2)}`,
            kiloRange(cl.rps),
            ratio(cl.rpsVsRr),
            `${kiloRange(ka.reqPerCpu)} (${ratio(ka.reqPerCpuVsRr)})`,
            `${kiloRange(cl.reqPerCpu)} (${ratio(cl.reqPerCpuVsRr)})`,
            plain(cl.launcherCpuPer10s, 2),
            plain(cl.jainConnections),
            ka.failed + cl.failed,
          ];
        }),
    );
    const skipped = group.skipped
      .map((s) => `${TOPOLOGIES[s.topology].label}: ${s.reason}`)
      .join('; ');
    return [
      title,
      `${group.reps} reps of ${group.seconds} s per load and topology.${skipped ? ` Not run: ${skipped}.` : ''}`,
      body,
    ];
  });
}

function fairnessSection(results, table) {
  const rows = fairnessRows(results.suites.fairness);
  if (rows.length === 0) return [];
  return [
    '## Fairness at partial load (B4)',
    "A Node client opens new connections at a fixed rate, one request each (`bench/src/load/conn-rate.mjs`); Jain's index over the connections each worker accepted.",
    table(
      [
        'N',
        'new conn/s',
        'topology',
        'Jain (min–max)',
        'connections per worker, per rep',
        'failed',
      ],
      rows.map((r) => [
        r.workers > 2 ? `${r.workers} (scheduler-bound)` : r.workers,
        r.rate,
        TOPOLOGIES[r.topology].label,
        plain(r.jainConnections),
        r.perWorker.map((w) => w.join('/')).join('; '),
        `${r.failed} of ${r.attempted}`,
      ]),
    ),
  ];
}

function upgradeSection(results, table) {
  const rows = upgradeRows(results.suites.upgrade);
  if (rows.length === 0) return [];
  return [
    '## Upgrades under load (B5)',
    `Every worker replaced (N = ${results.suites.upgrade.workers}) while a keep-alive and a \`Connection: close\` wrk run; "old gone" is from the upgrade command to the last old worker's exit.`,
    table(
      [
        'variant',
        'framework',
        'failed keep-alive, per rep',
        'failed close, per rep',
        'requests per rep (keep-alive / close)',
        'upgrade',
        'old gone',
        'old exit codes',
      ],
      rows.map((r) => [
        UPGRADE_VARIANTS[r.variant].label,
        frameworkLabel(r.framework),
        list(r.keepaliveFailed),
        list(r.closeFailed),
        r.keepaliveRequests.map((k, i) => `${k}/${r.closeRequests[i]}`).join('; '),
        plain(r.upgradeMs, 0, ' ms'),
        plain(r.drainMs, 0, ' ms'),
        list(r.exitCodes.map((c) => (c === null ? 'signal' : c))),
      ]),
    ),
  ];
}

export function detailSections(results, table) {
  const throughput = throughputSections(results, table);
  return [
    ...frameworkSection(results, table),
    ...(throughput.length ? ['## Throughput (B1, B2, B3; B4 at saturation)', ...throughput] : []),
    ...fairnessSection(results, table),
    ...upgradeSection(results, table),
    ...startupSection(results, table),
    ...importCostSection(results, table),
    ...probeSections(results, table),
  ];
}
