import { afterEach, describe, expect, it } from 'vitest';
import { fixtures, lines, payload } from '../helpers/fixture-paths.ts';
import { HttpConnection, httpGet, tcpListener } from '../helpers/http-client.ts';
import { baseEnv, killAllFixtures, spawnFixture } from '../helpers/spawn-fixture.ts';

describe('@einhorn/net serve() outside Einhorn', () => {
  afterEach(killAllFixtures);

  it('without a fallback, fails with ERR_EINHORN_ENV_MISSING instead of guessing a port', async () => {
    const fixture = await spawnFixture(fixtures.netHttp, { readyLine: lines.error });
    expect(payload(await fixture.output.waitForLine(lines.error))).toMatchObject({
      code: 'ERR_EINHORN_ENV_MISSING',
    });
    expect((await fixture.exited).code).toBe(1);
  });

  it('with an explicit fallback, listens there for local development and still drains on SIGUSR2', async () => {
    const fixture = await spawnFixture(fixtures.netHttp, {
      env: baseEnv({ EINHORN_FIXTURE_FALLBACK_PORT: '0' }),
      readyLine: lines.listening,
    });
    const { address, childIndex } = payload(await fixture.output.waitForLine(lines.listening)) as {
      address: { port: number };
      childIndex: unknown;
    };
    expect(childIndex).toBeNull();
    const listener = tcpListener(address.port);
    expect(JSON.parse((await httpGet(listener, '/')).body)).toEqual({ pid: fixture.pid });
    fixture.signal('SIGUSR2');
    expect(await fixture.exited).toEqual({ code: 0, signal: null });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`in fallback mode, ${signal} drains too: a slow request in flight is answered, exit 0`, async () => {
      const fixture = await spawnFixture(fixtures.netHttp, {
        env: baseEnv({ EINHORN_FIXTURE_FALLBACK_PORT: '0' }),
        readyLine: lines.listening,
      });
      const { address } = payload(await fixture.output.waitForLine(lines.listening)) as {
        address: { port: number };
      };
      const listener = tcpListener(address.port);
      const connection = await HttpConnection.open(listener);
      const response = connection.get('/slow?ms=100&after=drain');
      await fixture.output.waitForLine(lines.request);
      fixture.signal(signal);
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(answered.headers['connection']).toBe('close');
      expect(await fixture.exited).toEqual({ code: 0, signal: null });
    });
  }
});
