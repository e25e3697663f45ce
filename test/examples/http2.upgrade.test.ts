// The http2 example (examples/http2/dist/server.js, node:http2 run by serve()) upgraded under load
// by the real einhorn-node master (-m manual -n 2), over TLS and over h2c (prior knowledge): HTTP/2
// clients that handle GOAWAY as browsers do (test/helpers/h2-load.ts) see 0 failed streams and
// move to the new generation. The control exits on SIGUSR2 without draining and fails streams.
// h2load is not the load here: it never reconnects after a GOAWAY (see docs/guides/http2.md);
// its figures are in the bench upgrade suite.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtures } from '../helpers/fixture-paths.ts';
import { h2Load } from '../helpers/h2-load.ts';
import { NODE, WAIT, cleanup, startMaster } from '../master/helpers.ts';
import type { StateDoc } from '../master/helpers.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/http2/dist/server.js', import.meta.url));

afterEach(cleanup);

function pidsOf(state: StateDoc): number[] {
  return Object.values(state.children)
    .filter((child) => child.acked)
    .map((child) => child.pid);
}

/** Two workers of `worker` under load, upgraded; the load stops once the new ones served it. */
async function upgradeUnderLoad(worker: readonly string[], scheme: 'https' | 'http', path = '/') {
  const master = await startMaster({
    options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '2'],
    worker,
  });
  const state = await master.waitForState((s) => pidsOf(s).length === 2);
  const oldPids = pidsOf(state);
  const load = h2Load(`${scheme}://127.0.0.1:${state.bound_ports[0] ?? 0}`, { path });
  try {
    // Load is on: the old workers have served it.
    await vi.waitFor(() => {
      expect(load.pids.filter((pid) => oldPids.includes(pid)).length).toBeGreaterThan(100);
    }, WAIT);
    const replies = await master.request('upgrade');
    expect(replies.at(-1)?.message).toBe('Upgrade done');
    for (const pid of oldPids) await master.waitForLog(new RegExp(`Exited worker ${pid}\\b`));
    const newPids = pidsOf(await master.waitForState((s) => pidsOf(s).length === 2));
    // Every client is on the new generation (its latest streams came from there).
    const served = load.pids.length;
    await vi.waitFor(() => {
      expect(load.pids.length).toBeGreaterThan(served + 100);
    }, WAIT);
    return { load, oldPids, newPids, served };
  } finally {
    await load.stop();
  }
}

describe('examples/http2 upgraded under load by einhorn-node -m manual -n 2', () => {
  for (const [name, args, scheme] of [
    ['TLS (h2 over ALPN)', [], 'https'],
    ['h2c (prior knowledge)', ['--h2c'], 'http'],
  ] as const) {
    it(`${name}: 0 failed streams, and every client moved to the new generation`, async () => {
      const { load, oldPids, newPids, served } = await upgradeUnderLoad(
        [NODE, EXAMPLE, ...args],
        scheme,
      );
      expect(load.failures).toEqual([]);
      // Node's server answers the client's own GOAWAY with its final one at once, so streams
      // the client had queued behind it may be refused unprocessed (and sent again): a few.
      expect(load.refused.length).toBeLessThan(load.pids.length / 10);
      // Each of the 4 clients got a GOAWAY and opened a new session (more if it first landed
      // on the other old worker).
      expect(load.sessions()).toBeGreaterThanOrEqual(8);
      expect(load.pids.slice(served).every((pid) => newPids.includes(pid))).toBe(true);
      expect(load.pids.some((pid) => oldPids.includes(pid))).toBe(true);
    });
  }

  it('control: a worker that exits on SIGUSR2 without draining fails streams', async () => {
    const { load } = await upgradeUnderLoad(
      [NODE, fixtures.http2Naive, 'exit'],
      'http',
      '/slow?ms=20',
    );
    expect(load.failures.length).toBeGreaterThan(0);
  });
});
