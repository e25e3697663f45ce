// The consumer test: every package packed as published, installed from the tarballs into a fresh
// app outside the workspace (os.tmpdir()) with real framework versions from the registry,
// type-checked with tsc, then each app run under einhorn-node (installed from its own tarball) on
// the Node under test, upgraded under load with 0 failed requests.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HeldListener } from '../helpers/fake-master.ts';
import { keepAliveLoad, lineLoad } from '../helpers/load.ts';
import type { Load } from '../helpers/load.ts';
import { baseEnv, killAllFixtures, spawnFixture, testNode } from '../helpers/spawn-fixture.ts';
import type { FixtureProcess } from '../helpers/spawn-fixture.ts';
import { boundPorts, request } from './command-socket.ts';

const packed = inject('packed');
const WORKERS = 2;
let app: string;

/** Runs a command in the app directory; fails the test with its output on a non-zero exit. */
function sh(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { cwd: app, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${output}`);
  return output;
}

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'einhorn-consumer-'));
  cpSync(join(import.meta.dirname, 'apps'), join(app, 'src'), { recursive: true });
  const tarballs = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'einhorn-consumer',
      private: true,
      dependencies: {
        ...tarballs,
        express: '^5.1.0',
        express4: 'npm:express@^4.21.0',
        fastify: '^5.0.0',
      },
      devDependencies: {
        '@types/express': '^5.0.0',
        '@types/express4': 'npm:@types/express@^4.17.0',
        '@types/node': '^20.0.0',
        typescript: '~6.0.3',
      },
    }),
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2022',
        strict: true,
        outDir: 'dist',
        rootDir: 'src',
        types: ['node'],
        skipLibCheck: false,
      },
      include: ['src'],
    }),
  );
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']);
}, 600_000);

afterEach(async () => {
  await killAllFixtures();
});
afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});

describe('a fresh app installed from the tarballs', () => {
  it('installs every @einhorn package from its tarball, not from the workspace', () => {
    const installed = readdirSync(join(app, 'node_modules/@einhorn')).sort();
    expect(installed).toEqual(packed.map((pkg) => pkg.name.slice('@einhorn/'.length)).sort());
  });

  it('type-checks and compiles with tsc (module nodenext: .mts as ESM, .cts as CommonJS)', () => {
    sh(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']);
    expect(readdirSync(join(app, 'dist')).sort()).toEqual([
      'express4.cjs',
      'express5.mjs',
      'fastify.mjs',
      'http-esm.mjs',
      'raw-net.cjs',
    ]);
  });

  it('a type error in an app fails tsc (control)', () => {
    writeFileSync(
      join(app, 'src/broken.mts'),
      "import { serve } from '@einhorn/net';\nawait serve('not a server');\n",
    );
    try {
      expect(() =>
        sh(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit']),
      ).toThrow(/broken\.mts/);
    } finally {
      rmSync(join(app, 'src/broken.mts'));
    }
  });

  const apps: readonly { file: string; load: 'http' | 'line' }[] = [
    { file: 'http-esm.mjs', load: 'http' },
    { file: 'express5.mjs', load: 'http' },
    { file: 'express4.cjs', load: 'http' },
    { file: 'fastify.mjs', load: 'http' },
    { file: 'raw-net.cjs', load: 'line' },
  ];

  for (const { file, load } of apps) {
    it(`${file} runs under einhorn-node and upgrades under load with 0 failed requests`, async () => {
      const files = mkdtempSync(join(tmpdir(), 'einhorn-consumer-run-'));
      const socket = join(files, 'einhorn.sock');
      let master: FixtureProcess | undefined;
      try {
        master = await spawnFixture(join(app, 'node_modules/@einhorn/master/dist/cli.cjs'), {
          args: [
            ...['-d', socket, '-e', join(files, 'einhorn.pid'), '-f', join(files, 'einhorn.lock')],
            ...['-k', '-b', '127.0.0.1:0', '-m', 'manual', '-n', String(WORKERS)],
            ...['--', testNode, join(app, 'dist', file)],
          ],
          cwd: app,
          env: baseEnv(),
          readyLine: new RegExp(`Up to ${WORKERS} / ${WORKERS} manual ACKs`),
        });
        const [port = 0] = await boundPorts(socket);
        expect(port).toBeGreaterThan(0);
        const listener = { kind: 'tcp', port, path: '', backlog: 0 } as unknown as HeldListener;
        const traffic: Load = load === 'http' ? keepAliveLoad(listener, 4) : lineLoad(listener, 4);
        await expect.poll(() => traffic.pids.length).toBeGreaterThan(0);
        const before = new Set(traffic.pids);
        const replies = await request(socket, 'upgrade');
        expect(replies.at(-1)?.message).toMatch(/Upgrade done/);
        // Requests reach the new workers before the load stops.
        const served = traffic.pids.length;
        await expect
          .poll(() => traffic.pids.slice(served).some((pid) => load === 'line' || !before.has(pid)))
          .toBe(true);
        await traffic.stop();
        expect(traffic.failures).toEqual([]);
        expect(traffic.pids.length).toBeGreaterThan(0);
        master.signal('SIGINT');
        expect(await master.exited).toEqual({ code: 0, signal: null });
      } finally {
        rmSync(files, { recursive: true, force: true });
      }
    });
  }
});
