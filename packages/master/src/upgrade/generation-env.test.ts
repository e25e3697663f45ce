import { describe, expect, it } from 'vitest';
import { GenerationEnv } from './generation-env.ts';

describe('GenerationEnv (the environment einhorn restores on every re-exec)', () => {
  it('keeps --drop-env-var names for the first generation and drops them from the restored one', () => {
    const env = new GenerationEnv({ PATH: '/bin', VAR1: 'a', VAR2: 'a', UNSET: undefined }, [
      'VAR1',
      'VAR2',
    ]);
    expect(env.current).toEqual({ PATH: '/bin', VAR1: 'a', VAR2: 'a' });
    expect(env.restored()).toEqual({ PATH: '/bin' });
    // What `env VAR2=b einhorn-node` reported becomes the next generation and its start-up env.
    env.adopt({ PATH: '/bin', VAR2: 'b' });
    expect(env.current).toEqual({ PATH: '/bin', VAR2: 'b' });
    expect(env.restored()).toEqual({ PATH: '/bin' });
  });

  it('copies its input (later changes to process.env do not leak in) and forgets names for good', () => {
    const source: Record<string, string> = { A: '1', LISTEN_PID: '9', LISTEN_FDS: '1' };
    const env = new GenerationEnv(source, []);
    source['A'] = '2';
    env.forget(['LISTEN_PID', 'LISTEN_FDS']);
    expect(env.current).toEqual({ A: '1' });
    expect(env.restored()).toEqual({ A: '1' });
  });
});
