// What each profile runs. `full` (< 15 min on 2 vCPU), `quick` (< 3 min: node:http, N = 2, plus
// the upgrade, fairness, startup, import-cost, refusal, kill and master-cost probes) and `smoke`
// (correctness figures only, for test/bench/smoke.test.ts; B10 stays out of it: its zod/yaml check
// is a target the packages do not meet yet, not a harness check).
import { FRAMEWORKS, RECIPE_FRAMEWORKS } from './apps/index.mjs';

const N2_TOPOLOGIES = [
  'einhorn-shared',
  'einhorn-slots',
  'cluster-rr',
  'cluster-none',
  'reuseport',
];
const N1_TOPOLOGIES = [
  'einhorn-shared',
  'einhorn-bare',
  'einhorn-tracked',
  'cluster-rr',
  'cluster-none',
  'single',
];
/** B10 runs under every one of these Nodes (system Node 20, tools/node22, the root Node 24). */
const IMPORT_COST_NODES = ['system', 'node22', 'node24'];
const UPGRADE = { workers: 2, leadMs: 700, tailMs: 300, drainWaitMs: 10_000, connections: 32 };
const KILL = { workers: 2, leadMs: 700, tailMs: 300, connections: 32 };

const full = {
  throughput: FRAMEWORKS.flatMap((framework) => [
    { framework, workers: 1, topologies: N1_TOPOLOGIES, reps: 5, seconds: 1, warmupSeconds: 0.5 },
    { framework, workers: 2, topologies: N2_TOPOLOGIES, reps: 5, seconds: 1, warmupSeconds: 0.5 },
    { framework, workers: 4, topologies: N2_TOPOLOGIES, reps: 3, seconds: 1, warmupSeconds: 0.5 },
  ]),
  fairness: {
    framework: 'http',
    workers: [2, 4],
    topologies: N2_TOPOLOGIES,
    rates: [300, 1500],
    reps: 3,
    windowConnections: 450,
  },
  upgrade: {
    ...UPGRADE,
    reps: 3,
    variants: [
      ...FRAMEWORKS.flatMap((framework) => [
        { variant: 'einhorn-shared', framework },
        { variant: 'einhorn-slots', framework },
      ]),
      ...RECIPE_FRAMEWORKS.map((framework) => ({ variant: 'einhorn-shared', framework })),
      { variant: 'control', framework: 'http' },
      { variant: 'cluster-rolling', framework: 'http' },
      { variant: 'cluster-naive', framework: 'http' },
    ],
  },
  // B5 for WebSockets and HTTP/2 (suites/protocol-upgrade.mjs): examples and their controls.
  protocolUpgrade: {
    reps: 3,
    variants: ['websocket', 'websocket-control', 'http2-tls', 'http2-h2c', 'http2-control'],
  },
  kill: { ...KILL, reps: 3, topologies: ['einhorn-shared', 'einhorn-slots', 'cluster-rr'] },
  startup: { frameworks: FRAMEWORKS, samples: 10 },
  importCost: { nodes: IMPORT_COST_NODES, reps: 21 },
  refusal: { reps: 3, clusterReference: true },
  masterCost: { workers: 2, idleMs: 5000, stateRequests: 1000 },
};

const quick = {
  throughput: [
    {
      framework: 'http',
      workers: 2,
      topologies: ['einhorn-shared', 'einhorn-slots', 'cluster-rr', 'cluster-none'],
      reps: 3,
      seconds: 1,
      warmupSeconds: 0.3,
    },
    {
      framework: 'http',
      workers: 1,
      topologies: ['einhorn-shared', 'einhorn-bare'],
      reps: 3,
      seconds: 1,
      warmupSeconds: 0.3,
    },
  ],
  fairness: {
    framework: 'http',
    workers: [2],
    topologies: ['einhorn-shared', 'einhorn-slots'],
    rates: [300, 1500],
    reps: 2,
    windowConnections: 300,
  },
  upgrade: {
    ...UPGRADE,
    reps: 1,
    variants: [
      ...['einhorn-shared', 'einhorn-slots', 'control', 'cluster-rolling', 'cluster-naive'].map(
        (variant) => ({ variant, framework: 'http' }),
      ),
      ...RECIPE_FRAMEWORKS.map((framework) => ({ variant: 'einhorn-shared', framework })),
    ],
  },
  // B5 for WebSockets and HTTP/2 (suites/protocol-upgrade.mjs): examples and their controls.
  protocolUpgrade: {
    reps: 3,
    variants: ['websocket', 'websocket-control', 'http2-tls', 'http2-h2c', 'http2-control'],
  },
  kill: { ...KILL, reps: 1, topologies: ['einhorn-shared', 'einhorn-slots'] },
  startup: { frameworks: ['http'], samples: 5 },
  // Times Node 24 only (the target's Node; all three take ~2 min), lists modules on every Node.
  importCost: { nodes: IMPORT_COST_NODES, timeOn: ['node24'], reps: 15 },
  refusal: { reps: 1, clusterReference: true },
  masterCost: { workers: 2, idleMs: 2000, stateRequests: 300 },
};

const smoke = {
  upgrade: {
    ...UPGRADE,
    leadMs: 500,
    tailMs: 200,
    reps: 1,
    variants: [
      { variant: 'einhorn-shared', framework: 'http' },
      { variant: 'control', framework: 'http' },
    ],
  },
  refusal: { reps: 1, clusterReference: false },
};

export const PROFILES = { full, quick, smoke };

/** Suites in the order they run: short, latency-sensitive probes first. */
export const SUITE_ORDER = [
  'startup',
  'importCost',
  'refusal',
  'masterCost',
  'upgrade',
  'protocolUpgrade',
  'kill',
  'throughput',
  'fairness',
];
