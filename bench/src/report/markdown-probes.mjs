// Detail tables of the probes: startup (B6), refusals (B7), a worker killed (B8), master cost (B9).
import { frameworkLabel } from '../apps/index.mjs';
import { TOPOLOGIES } from '../topologies/index.mjs';
import { mib, ms, plain } from './format.mjs';

export function startupSection(results, table) {
  const startup = results.suites.startup ?? [];
  if (startup.length === 0) return [];
  return [
    '## Startup (B6)',
    'Medians (min–max) over the samples, each timed from the return of `spawn()` in the parent. Inside the worker: the steps of the adapter worker, timed by the worker.',
    table(
      [
        'framework',
        'spawn→ACK',
        'plain app spawn→listening',
        '`node -e 0` spawn→exit',
        'import adapter',
        'import app',
        'adopt socket',
        'ack()',
      ],
      startup.map((s) => [
        frameworkLabel(s.framework),
        plain(s.spawnToAckMs, 1, ' ms'),
        plain(s.plainStartupMs, 1, ' ms'),
        plain(s.bareNodeMs, 1, ' ms'),
        plain(s.workerSteps.importAdapterMs, 1, ' ms'),
        plain(s.workerSteps.importAppMs, 1, ' ms'),
        plain(s.workerSteps.adoptMs, 1, ' ms'),
        plain(s.ackTransportMs, 2, ' ms'),
      ]),
    ),
  ];
}

export function probeSections(results, table) {
  const out = [];
  const { refusal, kill, masterCost } = results.suites;
  if (refusal) {
    out.push(
      '## Refusals (B7)',
      table(
        [
          'rep',
          'refused from start()',
          'refused from bind()',
          'bind() → start() resolved',
          'zero-worker window',
          'refused / served / failed in it',
        ],
        refusal.einhorn.map((r, i) => [
          i + 1,
          `${r.fromStart.refused} of ${r.fromStart.attempts}`,
          r.fromBind.refused,
          ms(r.bindToStartedMs),
          ms(r.zeroWorkers.windowMs, 0),
          `${r.zeroWorkers.refused} / ${r.zeroWorkers.served} / ${r.zeroWorkers.failed}`,
        ]),
      ),
    );
    if (refusal.cluster)
      out.push(
        `Reference, Node cluster round-robin with its only worker dead for ${ms(refusal.cluster.zeroWorkers.windowMs, 0)}: ${refusal.cluster.zeroWorkers.refused} of ${refusal.cluster.zeroWorkers.attempts} attempts refused.`,
      );
  }
  if (kill) {
    out.push(
      '## One worker SIGKILLed under load (B8)',
      'The victim is frozen (SIGSTOP), its established connections counted with `ss`, then SIGKILLed.',
      table(
        [
          'topology',
          'rep',
          'failed (keep-alive + close)',
          'in flight',
          'refused',
          'replaced after',
        ],
        kill.runs.map((r) => [
          TOPOLOGIES[r.topology].label,
          r.rep + 1,
          `${r.failed} (${r.keepalive.failed} + ${r.close.failed})`,
          r.inFlight,
          r.refused,
          `${r.replacedMs} ms`,
        ]),
      ),
    );
  }
  if (masterCost) {
    out.push(
      '## Master cost (B9)',
      table(
        ['figure', 'einhorn-node master', 'reference'],
        [
          [
            `CPU in ${masterCost.idleSeconds.toFixed(1)} s idle, 2 workers`,
            `${masterCost.masterCpuSeconds.toFixed(2)} s`,
            `cluster primary ${masterCost.primaryCpuSeconds.toFixed(2)} s`,
          ],
          [
            'RSS',
            mib(masterCost.masterRssBytes),
            `cluster primary ${mib(masterCost.primaryRssBytes)}; idle \`node\` ${mib(masterCost.idleNodeRssBytes)}${masterCost.importOnlyRssBytes ? `; idle \`node\` after importing @einhorn/master ${mib(masterCost.importOnlyRssBytes)}` : ''}`,
          ],
          ...(masterCost.masterRssAfterStateBytes
            ? [
                [
                  'RSS after the round trips below',
                  mib(masterCost.masterRssAfterStateBytes),
                  masterCost.masterRssAfterYamlBytes
                    ? `after one more request in YAML (as the Ruby \`einhornsh\` sends them): ${mib(masterCost.masterRssAfterYamlBytes)}`
                    : '',
                ],
              ]
            : []),
          [
            '`state` round trip',
            `p50 ${ms(masterCost.stateRoundTripMs.p50, 3)}, p99 ${ms(masterCost.stateRoundTripMs.p99, 3)}, max ${ms(masterCost.stateRoundTripMs.max, 2)}`,
            masterCost.warmUpRequests
              ? `${masterCost.stateRoundTripMs.n} sequential requests after ${masterCost.warmUpRequests} warm-up requests`
              : `${masterCost.stateRoundTripMs.n} sequential requests`,
          ],
          ...(masterCost.stateWarmUpRoundTripMs
            ? [
                [
                  '`state` round trip during the warm-up',
                  `p50 ${ms(masterCost.stateWarmUpRoundTripMs.p50, 3)}, p99 ${ms(masterCost.stateWarmUpRoundTripMs.p99, 3)}, max ${ms(masterCost.stateWarmUpRoundTripMs.max, 2)}`,
                  'the first requests of a fresh connection and master, while V8 tiers up the code',
                ],
              ]
            : []),
          [
            '`ehlo` round trip',
            `p50 ${ms(masterCost.ehloRoundTripMs.p50, 3)}, p99 ${ms(masterCost.ehloRoundTripMs.p99, 3)}, max ${ms(masterCost.ehloRoundTripMs.max, 2)}`,
            'a one-line reply: the transport without the state document',
          ],
        ],
      ),
    );
  }
  return out;
}
