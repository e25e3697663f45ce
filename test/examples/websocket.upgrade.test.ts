// The websocket example (examples/websocket/dist/server.js, a `ws` echo server drained by
// drainWebSockets) upgraded under load by the real einhorn-node master (-m manual -n 2): clients
// that number their messages and count the echoes (test/helpers/ws-load.ts defines the protocol
// and what "lost" means) lose none, see close code 1001, and all reconnect to the new generation.
// The control drains the same clients without the 1001 goodbye and shows what that costs.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtures } from '../helpers/fixture-paths.ts';
import { lostAndDuplicated, wsLoad } from '../helpers/ws-load.ts';
import type { WsLoad } from '../helpers/ws-load.ts';
import { NODE, WAIT, cleanup, startMaster } from '../master/helpers.ts';
import type { MasterHandle, StateDoc } from '../master/helpers.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/websocket/dist/server.js', import.meta.url));
const CLIENTS = 8;

let load: WsLoad | undefined;
afterEach(async () => {
  load = undefined;
  await cleanup();
});

function pidsOf(state: StateDoc): number[] {
  return Object.values(state.children)
    .filter((child) => child.acked)
    .map((child) => child.pid);
}

/** Starts einhorn-node with two ACKed workers running `worker`, and the clients on its port. */
async function twoWorkersUnderLoad(
  worker: readonly string[],
): Promise<{ master: MasterHandle; oldPids: number[]; load: WsLoad }> {
  const master = await startMaster({
    options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '2'],
    worker,
  });
  const state = await master.waitForState((s) => pidsOf(s).length === 2);
  const port = state.bound_ports[0] ?? 0;
  load = wsLoad(`ws://127.0.0.1:${port}/`, CLIENTS);
  const started = load;
  // Load is on: every client is connected and has had echoes.
  await vi.waitFor(() => {
    for (const client of started.clients) expect(client.echoes.length).toBeGreaterThan(20);
  }, WAIT);
  return { master, oldPids: pidsOf(state), load: started };
}

/** Upgrades, and waits until the old workers are gone and every client greeted a new one. */
async function upgrade(
  master: MasterHandle,
  oldPids: number[],
  running: WsLoad,
): Promise<number[]> {
  const replies = await master.request('upgrade');
  expect(replies.at(-1)?.message).toBe('Upgrade done');
  const state = await master.waitForState(
    (s) => pidsOf(s).length === 2 && pidsOf(s).every((pid) => !oldPids.includes(pid)),
  );
  const newPids = pidsOf(state);
  for (const pid of oldPids) await master.waitForLog(new RegExp(`Exited worker ${pid}\\b`));
  await vi.waitFor(() => {
    for (const client of running.clients) expect(newPids).toContain(client.helloPids.at(-1));
  }, WAIT);
  return newPids;
}

describe('examples/websocket upgraded under load by einhorn-node -m manual -n 2', () => {
  it('0 messages lost or duplicated, every client closed with 1001 and reconnected to the new generation', async () => {
    const { master, oldPids, load: running } = await twoWorkersUnderLoad([NODE, EXAMPLE]);
    const newPids = await upgrade(master, oldPids, running);
    // Load goes on against the new generation before the clients stop.
    const after = running.clients.map((client) => client.sent);
    await vi.waitFor(() => {
      running.clients.forEach((client, i) => {
        expect(client.sent).toBeGreaterThan((after[i] ?? 0) + 20);
      });
    }, WAIT);
    const reports = await running.stop();
    for (const report of reports) {
      expect(report.errors).toEqual([]);
      expect(lostAndDuplicated(report)).toEqual({ lost: [], duplicated: [] });
      // A smooth upgrade replaces the old workers one by one: a client may reconnect to the
      // other old worker first, and then be sent off again, with 1001 each time.
      expect(report.closeCodes.length).toBeGreaterThan(0);
      expect(report.closeCodes.every((code) => code === 1001)).toBe(true);
      expect(oldPids).toContain(report.helloPids[0]);
      expect(newPids).toContain(report.helloPids.at(-1));
      expect(report.helloPids.length).toBe(report.closeCodes.length + 1);
    }
    expect(master.stderr()).not.toMatch(/exited with status [^0]|exit status [1-9]/i);
  });

  it('control: draining without the 1001 goodbye (sockets destroyed) reaches clients as 1006', async () => {
    const {
      master,
      oldPids,
      load: running,
    } = await twoWorkersUnderLoad([NODE, fixtures.wsEchoNoGoodbye]);
    await upgrade(master, oldPids, running);
    const reports = await running.stop();
    for (const report of reports) {
      // Resending keeps the count whole, but the goodbye is missing: an abnormal closure.
      expect(lostAndDuplicated(report)).toEqual({ lost: [], duplicated: [] });
      expect(report.closeCodes.length).toBeGreaterThan(0);
      expect(report.closeCodes.every((code) => code === 1006)).toBe(true);
    }
  });
});
