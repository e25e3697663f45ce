import { describe, expectTypeOf, it } from 'vitest';
import type { EinhornError } from '@einhorn/core';
import { createMaster } from './master.ts';
import type { MasterOptions, UpgradeResult, WorkerExit, WorkerInfo } from './types.ts';

describe('Master types', () => {
  it('types event listeners from MasterEvents', () => {
    const master = createMaster({ command: 'node' });
    master.on('worker:exit', (worker, exit) => {
      expectTypeOf(worker).toEqualTypeOf<WorkerInfo>();
      expectTypeOf(exit).toEqualTypeOf<WorkerExit>();
    });
    master.on('upgrade:done', (result) => {
      expectTypeOf(result).toEqualTypeOf<UpgradeResult>();
    });
    master.on('error', (error) => {
      expectTypeOf(error).toEqualTypeOf<EinhornError>();
    });
    expectTypeOf(master.upgrade()).resolves.toEqualTypeOf<UpgradeResult>();
  });

  it('accepts the BindSpec forms and the AckMode union', () => {
    expectTypeOf<{
      command: string;
      bind: ['127.0.0.1:0', { host: '::1'; port: 0; reusePort: true }, { path: '/tmp/a.sock' }];
    }>().toExtend<MasterOptions>();
    expectTypeOf<{ command: string; ack: { mode: 'timer' } }>().not.toExtend<MasterOptions>();
  });
});
