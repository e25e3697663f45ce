// Workers written with our SDK under the real einhorn-node master (the built CLI): the backlog
// they keep, the ACK confirmation, and a graceful stop when the master itself gets TERM or INT.
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures, payload } from '../helpers/fixture-paths.ts';
import { tcpListener } from '../helpers/http-client.ts';
import { canReadBacklog, listenBacklog } from '../helpers/ss.ts';
import { NODE, cleanup, startMaster } from './helpers.ts';

afterEach(cleanup);

function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('SDK workers under einhorn-node', () => {
  it.runIf(canReadBacklog)(
    "check 33: a serve() worker keeps the master's -l 7 (read from its command line)",
    async () => {
      const master = await startMaster({
        options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '1', '-l', '7'],
        worker: [NODE, fixtures.netHttp],
      });
      const state = await master.waitForState((s) =>
        Object.values(s.children).some((child) => child.acked),
      );
      const port = state.bound_ports[0] ?? 0;
      expect(listenBacklog(tcpListener(port))).toBe(7);
    },
  );

  it('ack({ confirm: true }) resolves confirmed once einhorn-node counted the ACK (P10)', async () => {
    const master = await startMaster({
      options: ['-m', 'manual', '-n', '1'],
      worker: [NODE, fixtures.workerAck, 'confirm'],
    });
    await master.waitForLog(/einhorn-fixture:result /);
    const line = /einhorn-fixture:result .*/.exec(master.stderr())?.[0] ?? '';
    expect(payload(line)).toEqual({
      result: { via: 'path', confirmed: true, message: 'ACKed' },
    });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the master: the worker drains (an in-flight slow request is answered), then the master exits 0`, async () => {
      const master = await startMaster({
        options: ['-b', '127.0.0.1:0', '-m', 'manual', '-n', '1'],
        worker: [NODE, fixtures.netHttp],
      });
      const state = await master.waitForState((s) =>
        Object.values(s.children).some((child) => child.acked),
      );
      const port = state.bound_ports[0] ?? 0;
      const agent = new Agent({ keepAlive: true });
      try {
        const slow = get(port, '/slow?ms=200&after=drain', agent);
        await master.waitForLog(/einhorn-fixture:request /);
        master.child.kill(signal);
        expect(await slow).toMatchObject({ status: 200 });
        expect(await master.exited).toEqual({ code: 0, signal: null });
      } finally {
        agent.destroy();
      }
    });
  }
});
