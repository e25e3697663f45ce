// B3 and B6 side by side per framework (node:http, Express, Fastify), B3 under keep-alive and
// one-connection-per-request load: the target rows of each, picked by their key.
import { FRAMEWORKS, frameworkLabel } from '../apps/index.mjs';

export function frameworkSection(results, table) {
  const targets = results.targets ?? [];
  const pick = (id, key) =>
    targets.find(
      (t) => t.id === id && t.key && Object.entries(key).every(([name, v]) => t.key[name] === v),
    );
  const cell = (target) =>
    target
      ? `${target.measured} — ${target.verdict === 'missed' ? '**missed**' : target.verdict}`
      : `not run in profile ${results.profile}`;
  const rows = FRAMEWORKS.map((framework) => [
    frameworkLabel(framework),
    cell(pick('B3', { framework, load: 'keepalive' })),
    cell(pick('B3', { framework, load: 'close' })),
    cell(pick('B6', { framework, figure: 'overhead' })),
    cell(pick('B6', { framework, figure: 'ack' })),
  ]);
  if (rows.every((r) => r.slice(1).every((c) => c.startsWith('not run')))) return [];
  return [
    '## SDK overhead and startup per framework (B3, B6)',
    'B3: requests per server CPU-second (master + worker), our adapter ÷ the same app in a bare worker that adopts the inherited fd by hand (`server.listen({ fd })`) and ACKs with a raw write on the command socket (`bench/src/servers/einhorn-bare-worker.mjs`); 1 worker, paired rep by rep. B6: spawn→ACK of the adapter worker minus a bare `node -e 0` (target ≤ 15 ms on Node 24), and the ACK transport (≤ 1 ms). Verdicts as in the targets table.',
    table(
      [
        'framework',
        'B3 keep-alive load (adapter ÷ bare)',
        'B3 one connection per request (adapter ÷ bare)',
        'B6 spawn→ACK − `node -e 0`',
        'B6 ack()',
      ],
      rows,
    ),
  ];
}
