// Smoke test of the benchmark harness (bench/): runs its `smoke` profile — one smooth upgrade under
// keep-alive and one-connection-per-request wrk load, for our master and for a control whose
// workers use plain `server.close()`, and a refusal probe through a zero-worker window — and
// checks correctness figures only. No timing is asserted: benchmarks are not tests.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode as NODE } from '../helpers/spawn-fixture.ts';

const HARNESS = fileURLToPath(new URL('../../bench/src/cli.mjs', import.meta.url));

interface LoadFigures {
  readonly requests: number;
  readonly failed: number;
}

interface UpgradeRun {
  readonly variant: string;
  readonly framework: string;
  readonly exitedUnderLoad: boolean;
  readonly oldExitCodes: readonly (number | null)[];
  readonly keepalive: LoadFigures;
  readonly close: LoadFigures;
}

interface RefusalRun {
  readonly zeroWorkers: {
    readonly attempts: number;
    readonly refused: number;
    readonly served: number;
  };
}

interface SmokeResults {
  readonly profile: string;
  readonly suites: {
    readonly upgrade: { readonly runs: readonly UpgradeRun[] };
    readonly refusal: { readonly einhorn: readonly RefusalRun[] };
  };
}

const dir = mkdtempSync(join(tmpdir(), 'einhorn-bench-smoke-'));
const outFile = join(dir, 'smoke.json');
let harness: ChildProcess | undefined;
let results: SmokeResults;
let stderr = '';

function upgradeRun(variant: string): UpgradeRun {
  const run = results.suites.upgrade.runs.find((r) => r.variant === variant);
  if (run === undefined) throw new Error(`The smoke results have no upgrade run for ${variant}.`);
  return run;
}

beforeAll(async () => {
  const child = spawn(NODE, [HARNESS, '--profile', 'smoke', '--out', outFile, '--no-docs'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  harness = child;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  harness = undefined;
  if (code !== 0) throw new Error(`The benchmark harness exited with ${String(code)}:\n${stderr}`);
  results = JSON.parse(readFileSync(outFile, 'utf8')) as SmokeResults;
}, 120_000);

afterAll(() => {
  if (harness?.pid !== undefined && harness.exitCode === null) process.kill(harness.pid, 'SIGINT');
  rmSync(dir, { recursive: true, force: true });
});

describe('benchmark harness, smoke profile (correctness figures only)', () => {
  it('ran the smoke profile and produced load on every probe', () => {
    expect(results.profile).toBe('smoke');
    for (const run of results.suites.upgrade.runs) {
      expect(run.keepalive.requests).toBeGreaterThan(0);
      expect(run.close.requests).toBeGreaterThan(0);
    }
  });

  it('B5: our master with the node:http adapter fails no request during a smooth upgrade', () => {
    const run = upgradeRun('einhorn-shared');
    expect(run.keepalive.failed).toBe(0);
    expect(run.close.failed).toBe(0);
  });

  it('B5: the old workers exit by draining (exit code 0, while the load still runs)', () => {
    const run = upgradeRun('einhorn-shared');
    expect(run.exitedUnderLoad).toBe(true);
    expect(run.oldExitCodes).toEqual([0, 0]);
  });

  it('B5 control: workers using plain server.close() fail keep-alive requests, so the probe can fail', () => {
    expect(upgradeRun('control').keepalive.failed).toBeGreaterThan(0);
  });

  it('B7: no connection is refused while zero workers are alive, and every one is served', () => {
    const [run] = results.suites.refusal.einhorn;
    expect(run).toBeDefined();
    expect(run?.zeroWorkers.attempts).toBeGreaterThan(0);
    expect(run?.zeroWorkers.refused).toBe(0);
    expect(run?.zeroWorkers.served).toBe(run?.zeroWorkers.attempts);
  });
});
