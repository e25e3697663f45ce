// B5–B9 from the upgrade, startup, refusal, kill and master-cost probes.
import { frameworkLabel } from '../apps/index.mjs';
import { upgradeRows } from './analyze.mjs';
import { list, mib, ms, plain } from './format.mjs';
import { atMost, row } from './verdict.mjs';
import { UPGRADE_VARIANTS } from '../suites/upgrade.mjs';

/** B6: spawn→ACK minus a bare `node -e 0`, on Node 24. */
const B6_MAX_MS = 15;

const sum = (values) => values.reduce((a, b) => a + b, 0);

function upgradeTargets(upgrade) {
  return upgradeRows(upgrade).map((r) => {
    const scope = `${frameworkLabel(r.framework)}: ${UPGRADE_VARIANTS[r.variant].label}`;
    const measured = `failed keep-alive ${list(r.keepaliveFailed)}, close ${list(r.closeFailed)} (per rep); old exit codes ${list(r.exitCodes.map((c) => (c === null ? 'signal' : c)))}; upgrade ${plain(r.upgradeMs, 0, ' ms')}, old gone ${plain(r.drainMs, 0, ' ms')}`;
    const figure = 'failed requests during a smooth upgrade';
    if (r.variant.startsWith('einhorn')) {
      const clean = [...r.keepaliveFailed, ...r.closeFailed].every((n) => n === 0);
      const drained = r.exitCodes.every((code) => code === 0) && r.exitedUnderLoad;
      return row({
        id: 'B5',
        scope,
        figure,
        target: '0 every rep; old workers exit 0 (drained, not deadline)',
        measured,
        met: clean && drained,
      });
    }
    if (r.variant === 'control')
      return row({
        id: 'B5',
        scope,
        figure,
        target: '> 0 (the probe can see failures)',
        measured,
        met: r.keepaliveFailed.every((n) => n > 0),
      });
    return row({ id: 'B5', scope, figure, target: '–', measured, met: null });
  });
}

function startupTargets(startup, nodeVersion) {
  const node24 = Number(nodeVersion.split('.')[0]) >= 24;
  return (startup ?? []).flatMap((s) => {
    const overhead = s.spawnToAckMs.median - s.bareNodeMs.median;
    const steps = s.workerSteps;
    return [
      row({
        id: 'B6',
        scope: frameworkLabel(s.framework),
        figure: 'spawn→ACK minus bare `node -e 0`',
        target: `≤ ${B6_MAX_MS} ms (Node 24)`,
        measured: `${ms(overhead)} (spawn→ACK ${ms(s.spawnToAckMs.median)}, node -e 0 ${ms(s.bareNodeMs.median)}, plain app spawn→listening ${ms(s.plainStartupMs.median)})`,
        met: node24 ? overhead <= B6_MAX_MS : null,
        key: { framework: s.framework, figure: 'overhead' },
        note: `${node24 ? '' : `Target is for Node 24; servers ran Node ${nodeVersion}. `}In the worker: importing the adapter ${ms(steps.importAdapterMs.median)}, the app ${ms(steps.importAppMs.median)}, adopting the socket ${ms(steps.adoptMs.median)} (listenOnFd reads the master's backlog from its command line, no process spawned), ack() ${ms(s.ackTransportMs.median, 2)}.`,
      }),
      row({
        id: 'B6',
        scope: frameworkLabel(s.framework),
        figure: "ACK transport (the worker's ack() call, first and only one)",
        target: '≤ 1 ms',
        measured: plain(s.ackTransportMs, 2, ' ms'),
        met: atMost(s.ackTransportMs.median, 1),
        key: { framework: s.framework, figure: 'ack' },
        note:
          s.ackTransportMs.median > 1
            ? 'The first and only ack() of a fresh process: connect to the command socket, write the line, wait for the master to close it, plus first-use work in the worker.'
            : '',
      }),
    ];
  });
}

function refusalTargets(refusal) {
  if (!refusal) return [];
  const fromBind = sum(refusal.einhorn.map((r) => r.fromBind.refused));
  const zero = refusal.einhorn.map((r) => r.zeroWorkers);
  const out = [
    row({
      id: 'B7',
      scope: 'einhorn-node, cold start',
      figure: 'connections refused from bind() onward (probe every 1 ms)',
      target: '0',
      measured: `${list(refusal.einhorn.map((r) => r.fromBind.refused))} (per rep); start() resolved ${list(refusal.einhorn.map((r) => r.bindToStartedMs.toFixed(1)))} ms after bind()`,
      met: fromBind === 0,
      note:
        fromBind > 0
          ? "The master's helper binds and listens in one step (`einhorn:master:listening` marks the bind instant on its clock), so a refusal after bind() means the probe and helper clocks disagree or the socket was rebound after a lost hand-over; look at the attempts around bind()."
          : '',
    }),
    row({
      id: 'B7',
      scope: 'einhorn-node, zero workers alive',
      figure: 'connections refused while no worker is alive',
      target: '0',
      measured: `${list(zero.map((z) => z.refused))} refused of ${list(zero.map((z) => z.attempts))} attempts in ${list(zero.map((z) => Math.round(z.windowMs)))} ms windows; served ${list(zero.map((z) => z.served))}`,
      met: sum(zero.map((z) => z.refused)) === 0,
    }),
  ];
  if (refusal.cluster) {
    const z = refusal.cluster.zeroWorkers;
    out.push(
      row({
        id: 'B7',
        scope: 'reference: Node cluster RR, zero workers alive',
        figure: 'connections refused while no worker is alive',
        target: '–',
        measured: `${z.refused} refused of ${z.attempts} in ${Math.round(z.windowMs)} ms`,
        met: null,
      }),
    );
  }
  return out;
}

function killTargets(kill) {
  if (!kill) return [];
  const topologies = [...new Set(kill.runs.map((r) => r.topology))];
  return topologies.map((topology) => {
    const runs = kill.runs.filter((r) => r.topology === topology);
    const ours = topology.startsWith('einhorn');
    return row({
      id: 'B8',
      scope: `${topology}, N = ${kill.workers}`,
      figure: 'one worker SIGKILLed under load: failed vs its in-flight; refused',
      target: ours ? 'failed ≤ in-flight; 0 refused' : '–',
      measured: `failed ${list(runs.map((r) => r.failed))} vs in-flight ${list(runs.map((r) => r.inFlight))}; refused ${list(runs.map((r) => r.refused))}; replaced after ${list(runs.map((r) => r.replacedMs))} ms`,
      met: ours ? runs.every((r) => r.failed <= r.inFlight && r.refused === 0) : null,
    });
  });
}

function masterCostTargets(cost) {
  if (!cost) return [];
  const rssMiB = cost.masterRssBytes / 2 ** 20;
  return [
    row({
      id: 'B9',
      scope: 'einhorn-node, 2 idle workers',
      figure: 'master CPU while idle',
      target: '≈ 0 (at most one 10 ms clock tick in the window)',
      measured: `${cost.masterCpuSeconds.toFixed(2)} s in ${cost.idleSeconds.toFixed(1)} s (cluster primary ${cost.primaryCpuSeconds.toFixed(2)} s)`,
      met: cost.masterCpuSeconds <= 0.011,
    }),
    row({
      id: 'B9',
      scope: 'einhorn-node, 2 idle workers',
      figure: 'master RSS',
      target: '≤ 50 MiB',
      measured: `${mib(cost.masterRssBytes)} (cluster primary ${mib(cost.primaryRssBytes)}, idle \`node\` ${mib(cost.idleNodeRssBytes)})`,
      met: rssMiB <= 50,
      note:
        rssMiB > 50
          ? `${mib(cost.masterRssBytes - cost.idleNodeRssBytes)} above an idle Node process of the same version${cost.importOnlyRssBytes ? `; an idle Node that only imported @einhorn/master: ${mib(cost.importOnlyRssBytes)}` : ''}.`
          : '',
    }),
    row({
      id: 'B9',
      scope: 'einhorn-node, command client',
      figure: '`state` round trip',
      target: 'p99 ≤ 1 ms',
      measured: `p50 ${ms(cost.stateRoundTripMs.p50, 3)}, p99 ${ms(cost.stateRoundTripMs.p99, 3)}, max ${ms(cost.stateRoundTripMs.max, 2)} (n = ${cost.stateRoundTripMs.n}${cost.warmUpRequests ? `, after ${cost.warmUpRequests} warm-up requests` : ''})`,
      met: atMost(cost.stateRoundTripMs.p99, 1),
      note: [
        cost.ehloRoundTripMs
          ? `\`ehlo\` (a one-line reply) on the same connection: p50 ${ms(cost.ehloRoundTripMs.p50, 3)}, p99 ${ms(cost.ehloRoundTripMs.p99, 3)}.`
          : '',
        cost.stateWarmUpRoundTripMs
          ? `During the warm-up (V8 tiering up both processes): p99 ${ms(cost.stateWarmUpRoundTripMs.p99, 3)}, max ${ms(cost.stateWarmUpRoundTripMs.max, 2)}.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
    }),
  ];
}

export function probeTargets(results) {
  const { suites, environment } = results;
  return [
    ...upgradeTargets(suites.upgrade),
    ...startupTargets(suites.startup, environment.serverNode.version),
    ...refusalTargets(suites.refusal),
    ...killTargets(suites.kill),
    ...masterCostTargets(suites.masterCost),
  ];
}
