import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boundPort, createBoundHandle } from './node-internals.ts';

// If a Node release changes net._createServerHandle, these fail loudly: the master depends on it.
describe('net._createServerHandle (Node internal)', () => {
  it('creates a bound, non-listening TCP handle with a numeric fd and a port', () => {
    const handle = createBoundHandle('127.0.0.1', 0, { family: 4, flags: 0 });
    if (typeof handle === 'number') throw new Error(`bind failed: ${handle}`);
    try {
      expect(Number.isInteger(handle.fd)).toBe(true);
      expect(handle.fd).toBeGreaterThan(2);
      const port = boundPort(handle);
      expect(port).toBeGreaterThan(0);
      // Bound but not listening: a connect is refused, so nothing was accepted either.
      const probe = spawnSync(
        process.execPath,
        [
          '-e',
          `require('net').connect(${port}, '127.0.0.1').on('error', (e) => { console.log(e.code); }).on('connect', () => console.log('connected'))`,
        ],
        { encoding: 'utf8' },
      );
      expect(probe.stdout.trim()).toBe('ECONNREFUSED');
    } finally {
      handle.close();
    }
  });

  it('defers a TCP bind() error: the handle comes back unbound (port 0), as bind-listeners.ts expects', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const handle = createBoundHandle('127.0.0.1', port, { family: 4, flags: 0 });
    try {
      expect(typeof handle).toBe('object');
      if (typeof handle !== 'number') expect(boundPort(handle)).toBe(0);
    } finally {
      if (typeof handle !== 'number') handle.close();
      taken.close();
    }
  });

  it('returns a negative errno instead of throwing when bind() fails', () => {
    const first = createBoundHandle('127.0.0.1', 0, { family: 4, flags: 0 });
    if (typeof first === 'number') throw new Error('bind failed');
    const result = createBoundHandle('256.0.0.1', 0, { family: 4, flags: 0 });
    expect(typeof result).toBe('number');
    expect(result as number).toBeLessThan(0);
    first.close();
  });

  it('creates a bound UNIX socket handle', async () => {
    const { mkdtempSync, existsSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/internals-`);
    const handle = createBoundHandle(`${dir}/s.sock`, -1, { family: 0, flags: 0 });
    if (typeof handle === 'number') throw new Error('bind failed');
    expect(existsSync(`${dir}/s.sock`)).toBe(true);
    expect(boundPort(handle)).toBe(0);
    await new Promise<void>((resolve) => {
      handle.close(resolve);
    });
    expect(existsSync(`${dir}/s.sock`)).toBe(false);
    rmSync(dir, { recursive: true });
  });
});
