import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API', () => {
  it('exports exactly these names (update on purpose, never by accident)', () => {
    expect(Object.keys(api).sort()).toEqual([
      'channels',
      'createHealthHandler',
      'drainOnShutdown',
      'drainWebSockets',
      'serve',
      'trackConnections',
    ]);
  });

  it('names its diagnostics channel einhorn:net:drain', () => {
    expect(api.channels).toEqual({ drain: 'einhorn:net:drain' });
  });

  it('installs no signal handler at import time', () => {
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
