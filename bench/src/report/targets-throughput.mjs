// B1–B4 from the throughput groups and the partial-load fairness probe.
import { frameworkLabel } from '../apps/index.mjs';
import { summarize } from '../lib/stats.mjs';
import { cpuEfficiencyRatio, fairnessRows, throughputRows } from './analyze.mjs';
import { kilo, plain, ratio } from './format.mjs';
import { atLeast, noiseNote, row } from './verdict.mjs';

const SHARED_SOCKET_NOTE = (workers, saturated) =>
  `Shared socket: every worker polls the same fd (libuv uses plain EPOLLIN, no EPOLLEXCLUSIVE), so the worker that wakes first accepts, and keeps winning${saturated && workers > 2 ? `; at saturation ${workers} workers on 2 vCPU also take turns on the CPUs` : ''}. Per-slot \`-b HOST:PORT,reuseport\` sockets spread connections evenly (rows below).`;

/** B3: adapter ÷ bare framework, req per CPU-second, 1 worker. */
const B3_MIN = 0.97;

const SOCKETS = { 'einhorn-shared': 'shared socket', 'einhorn-slots': 'per-slot reuseport' };

function keepAliveNote(shared, rr) {
  if (!shared || !rr) return '';
  return `${noiseNote(shared.rpsVsRr, 1)} Jain over requests per worker: ours ${plain(shared.jainRequests, 2)}, cluster RR ${plain(rr.jainRequests, 2)} (keep-alive connections stay with the worker that accepted them).`.trim();
}

function closeNote(ours, rr) {
  if (!ours || !rr) return '';
  return `${noiseNote(ours.rpsVsRr, 1.5)} Cluster RR's primary used ${plain(rr.launcherCpuPer10s, 2)} s CPU per 10 s; ours ${kilo(ours.rps.median)} req/s vs RR ${kilo(rr.rps.median)} req/s on 2 vCPU shared with wrk.`.trim();
}

export function throughputTargets(results) {
  const rows = throughputRows(results.suites.throughput);
  // The N = 2 row of one framework, topology and load.
  const find = (framework, topology, load) =>
    rows.find(
      (r) =>
        r.framework === framework && r.workers === 2 && r.topology === topology && r.load === load,
    );
  const out = [];
  const frameworks = [...new Set(rows.map((r) => r.framework))];
  for (const framework of frameworks) {
    const fw = frameworkLabel(framework);
    for (const topology of ['einhorn-shared', 'einhorn-slots']) {
      const ka = find(framework, topology, 'keepalive');
      if (!ka) continue;
      out.push(
        row({
          id: 'B1',
          scope: `${fw}, N = 2, ${SOCKETS[topology]}`,
          figure: 'keep-alive req/s ÷ cluster RR',
          target: '≥ 1.0×',
          measured: `${ratio(ka.rpsVsRr)}; vs SCHED_NONE ${ratio(ka.rpsVsNone)}; p50/p99 ${ka.p50Ms.median.toFixed(2)}/${ka.p99Ms.median.toFixed(2)} ms`,
          met: atLeast(ka.rpsVsRr, 1),
          note:
            ka.rpsVsRr.median < 1
              ? keepAliveNote(ka, find(framework, 'cluster-rr', 'keepalive'))
              : '',
        }),
      );
    }
    for (const topology of ['einhorn-shared', 'einhorn-slots']) {
      const close = find(framework, topology, 'close');
      if (!close) continue;
      out.push(
        row({
          id: 'B2',
          scope: `${fw}, N = 2, ${SOCKETS[topology]}`,
          figure: 'one-connection-per-request req/s ÷ cluster RR',
          target: '≥ 1.5×',
          measured: `${ratio(close.rpsVsRr)}; vs SCHED_NONE ${ratio(close.rpsVsNone)}`,
          met: atLeast(close.rpsVsRr, 1.5),
          note:
            close.rpsVsRr.median < 1.5
              ? closeNote(close, find(framework, 'cluster-rr', 'close'))
              : '',
        }),
      );
    }
    const closeRuns = results.suites.throughput
      .filter((g) => g.framework === framework)
      .flatMap((g) => g.runs)
      .filter((run) => run.topology.startsWith('einhorn') && run.load === 'close');
    if (closeRuns.length > 0) {
      // Summed over every close-load window: one 10 ms clock tick in a 1 s window would
      // otherwise read as 0.1 s per 10 s.
      const cpu = closeRuns.reduce((total, run) => total + run.launcherCpuSeconds, 0);
      const seconds = closeRuns.reduce((total, run) => total + run.seconds, 0);
      const per10s = (cpu * 10) / seconds;
      out.push(
        row({
          id: 'B2',
          scope: `${fw}, every N and socket mode`,
          figure: 'master CPU per 10 s of close load',
          target: '< 0.05 s',
          measured: `${per10s.toFixed(3)} s (${cpu.toFixed(2)} s CPU over ${seconds.toFixed(0)} s of load)`,
          met: per10s < 0.05,
        }),
      );
    }
    const n1 = results.suites.throughput.find((g) => g.framework === framework && g.workers === 1);
    for (const load of ['keepalive', 'close']) {
      if (!n1?.runs.some((run) => run.topology === 'einhorn-bare')) break;
      const efficiency = cpuEfficiencyRatio(n1, {
        topology: 'einhorn-shared',
        baseline: 'einhorn-bare',
        load,
      });
      const tracked = n1.runs.some((run) => run.topology === 'einhorn-tracked')
        ? cpuEfficiencyRatio(n1, { topology: 'einhorn-tracked', baseline: 'einhorn-bare', load })
        : undefined;
      const perCpu = (topology) =>
        rows.find(
          (r) =>
            r.framework === framework &&
            r.workers === 1 &&
            r.topology === topology &&
            r.load === load,
        )?.reqPerCpu.median;
      out.push(
        row({
          id: 'B3',
          scope: `${fw}, 1 worker, ${load === 'close' ? 'close' : 'keep-alive'} load`,
          figure: 'req per CPU-second: adapter ÷ bare framework',
          target: `≥ ${B3_MIN}×`,
          measured: `${ratio(efficiency)}; ${kilo(perCpu('einhorn-shared'))} vs ${kilo(perCpu('einhorn-bare'))} req/CPU-s`,
          met: atLeast(efficiency, B3_MIN),
          key: { framework, load },
          note: [
            noiseNote(efficiency, B3_MIN),
            tracked
              ? `The bare worker plus only @einhorn/net's trackConnections() (per request: one Map lookup and one assignment): ${ratio(tracked)}.`
              : '',
          ]
            .filter(Boolean)
            .join(' '),
        }),
      );
    }
  }
  out.push(...fairnessTargets(rows, results.suites.fairness));
  return out;
}

function fairnessTargets(rows, fairness) {
  const out = [];
  for (const workers of [2, 4]) {
    for (const topology of ['einhorn-shared', 'einhorn-slots']) {
      const values = rows
        .filter((r) => r.workers === workers && r.topology === topology && r.load === 'close')
        .flatMap((r) => [r.jainConnections.median]);
      if (values.length === 0) continue;
      const jain = summarize(values);
      out.push(
        row({
          id: 'B4',
          scope: `N = ${workers}, ${SOCKETS[topology]}, saturation`,
          figure: 'Jain over accepted connections (close load, median per framework)',
          target: '≥ 0.99',
          measured: plain(jain),
          met: atLeast(jain, 0.99),
          note:
            topology === 'einhorn-shared' && jain.median < 0.99
              ? SHARED_SOCKET_NOTE(workers, true)
              : '',
        }),
      );
    }
  }
  for (const r of fairnessRows(fairness).filter((x) => SOCKETS[x.topology])) {
    const rr = fairnessRows(fairness).find(
      (x) => x.workers === r.workers && x.rate === r.rate && x.topology === 'cluster-rr',
    );
    out.push(
      row({
        id: 'B4',
        scope: `N = ${r.workers}, ${SOCKETS[r.topology]}, ${r.rate} new conn/s`,
        figure: 'Jain over accepted connections',
        target: '≥ 0.95',
        measured: `${plain(r.jainConnections)}${rr ? `; cluster RR ${plain(rr.jainConnections)}` : ''}`,
        met: atLeast(r.jainConnections, 0.95),
        note:
          r.topology === 'einhorn-shared' && r.jainConnections.median < 0.95
            ? SHARED_SOCKET_NOTE(r.workers, false)
            : '',
      }),
    );
  }
  return out;
}
