// A Socket.IO echo server drained by drainWebSockets(server, io) (test/fixtures/socketio-echo.mjs)
// upgraded under load by the real einhorn-node master (-m manual -n 2): socket.io-client clients
// (WebSocket transport) number their messages and count the acks (test/helpers/sio-load.ts): none is lost, every client sees its transport closed
// ('transport close'), reconnects by itself and ends on a new-generation worker. The control
// sends clients off with a server-side disconnect instead, which socket.io-client never retries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtures } from '../helpers/fixture-paths.ts';
import { lostAndDuplicated, sioLoad } from '../helpers/sio-load.ts';
import type { SioLoad } from '../helpers/sio-load.ts';
import { NODE, WAIT, cleanup, startMaster } from '../master/helpers.ts';
import type { MasterHandle, StateDoc } from '../master/helpers.ts';

const CLIENTS = 8;

let load: SioLoad | undefined;
afterEach(async () => {
  load?.close();
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
): Promise<{ master: MasterHandle; oldPids: number[]; load: SioLoad }> {
  const master = await startMaster({
    options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '2'],
    worker,
  });
  const state = await master.waitForState((s) => pidsOf(s).length === 2);
  const port = state.bound_ports[0] ?? 0;
  // WebSocket only: long-polling needs every request of a session to reach the same process,
  // which workers sharing one listening socket cannot promise (see the WebSockets guide).
  const started = sioLoad(`http://127.0.0.1:${port}`, CLIENTS, 'websocket');
  load = started;
  await vi.waitFor(() => {
    for (const client of started.clients) expect(client.echoes.length).toBeGreaterThan(20);
  }, WAIT);
  return { master, oldPids: pidsOf(state), load: started };
}

/** Upgrades and waits until the old workers have exited and the new ones are ACKed. */
async function upgrade(master: MasterHandle, oldPids: number[]): Promise<number[]> {
  const replies = await master.request('upgrade');
  expect(replies.at(-1)?.message).toBe('Upgrade done');
  const state = await master.waitForState(
    (s) => pidsOf(s).length === 2 && pidsOf(s).every((pid) => !oldPids.includes(pid)),
  );
  for (const pid of oldPids) await master.waitForLog(new RegExp(`Exited worker ${pid}\\b`));
  return pidsOf(state);
}

describe('a Socket.IO server drained by drainWebSockets, upgraded under load by einhorn-node -m manual -n 2', () => {
  it('0 messages lost, every client reconnected by itself to the new generation', async () => {
    const {
      master,
      oldPids,
      load: running,
    } = await twoWorkersUnderLoad([NODE, fixtures.socketioEcho]);
    const newPids = await upgrade(master, oldPids);
    await vi.waitFor(() => {
      for (const client of running.clients) expect(newPids).toContain(client.helloPids.at(-1));
    }, WAIT);
    // Load goes on against the new generation before the clients stop.
    const after = running.clients.map((client) => client.sent);
    await vi.waitFor(() => {
      running.clients.forEach((client, i) => {
        expect(client.sent).toBeGreaterThan((after[i] ?? 0) + 20);
      });
    }, WAIT);
    const reports = await running.stop();
    for (const report of reports) {
      expect(lostAndDuplicated(report)).toEqual({ lost: [], duplicated: [] });
      // A smooth upgrade replaces the old workers one by one: a client may reconnect to the
      // other old worker first and be sent off again.
      expect(report.reasons.length).toBeGreaterThan(0);
      expect(report.reasons.every((reason) => reason === 'transport close')).toBe(true);
      expect(oldPids).toContain(report.helloPids[0]);
      expect(newPids).toContain(report.helloPids.at(-1));
      expect(report.helloPids.length).toBe(report.reasons.length + 1);
    }
    expect(master.stderr()).not.toMatch(/exited with status [^0]|exit status [1-9]/i);
  });

  it('control: a server-side disconnect on drain leaves clients disconnected for good', async () => {
    const {
      master,
      oldPids,
      load: running,
    } = await twoWorkersUnderLoad([NODE, fixtures.socketioEcho, 'disconnect']);
    await upgrade(master, oldPids);
    await vi.waitFor(() => {
      for (const client of running.clients)
        expect(client.reasons).toContain('io server disconnect');
    }, WAIT);
    for (const client of running.clients) {
      // socket.io-client gave up on its own: it will never reach the new generation.
      expect(client.active).toBe(false);
      expect(client.helloPids.every((pid) => oldPids.includes(pid))).toBe(true);
    }
  });
});
