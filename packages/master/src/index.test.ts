import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('@einhorn/master public API', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toEqual([
      'EINHORN_NODE_VERSION',
      'MASTER_CHANNELS',
      'createMaster',
      'defaultMasterPaths',
      'handleMasterSignals',
      'helpMessage',
      'startCommandServer',
    ]);
  });
});
