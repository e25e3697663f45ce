import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPaths } from './default-paths.ts';
import { fileSystemProbe, rubyTmpdir, type DirectoryProbe } from './tmpdir.ts';

// Every case's expectation was checked against Ruby 3.1's `Dir.tmpdir` (which einhorn 1.1.1 uses
// for its default socket, pidfile and lockfile); e.g. `env -u TMPDIR TMP=/var/tmp einhorn -c x`
// creates /var/tmp/einhorn-x.sock.
let root: string;
let usable: string;
let other: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'einhorn-paths-'));
  usable = join(root, 'usable');
  other = join(root, 'other');
  await mkdir(usable);
  await mkdir(other);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Treats only the listed directories as usable, so cases do not depend on this machine's /tmp. */
const only = (...dirs: string[]): DirectoryProbe => ({ isUsable: (path) => dirs.includes(path) });

describe('defaultPaths (check 10)', () => {
  it('TMPDIR set: einhorn.sock, .pid and .lock in it', () => {
    expect(defaultPaths({ env: { TMPDIR: usable } })).toEqual({
      directory: usable,
      socket: join(usable, 'einhorn.sock'),
      pidfile: join(usable, 'einhorn.pid'),
      lockfile: join(usable, 'einhorn.lock'),
    });
  });

  it('TMPDIR unset and TMP=/var/tmp: /var/tmp, as Ruby reads TMP and TEMP too', () => {
    const probe = only('/var/tmp', '/tmp');
    expect(defaultPaths({ env: { TMP: '/var/tmp' }, probe }).socket).toBe('/var/tmp/einhorn.sock');
    expect(defaultPaths({ env: { TEMP: '/var/tmp' }, probe }).pidfile).toBe('/var/tmp/einhorn.pid');
    expect(defaultPaths({ env: {}, probe }).lockfile).toBe('/tmp/einhorn.lock');
  });

  it('a command name gives einhorn-NAME.*', () => {
    const paths = defaultPaths({ commandName: 'web', env: { TMPDIR: usable } });
    expect([paths.socket, paths.pidfile, paths.lockfile]).toEqual([
      join(usable, 'einhorn-web.sock'),
      join(usable, 'einhorn-web.pid'),
      join(usable, 'einhorn-web.lock'),
    ]);
  });

  it('skips a TMPDIR that is missing, a file, empty, or world-writable without the sticky bit', async () => {
    const file = join(root, 'file');
    await writeFile(file, '');
    const open = join(root, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    const sticky = join(root, 'sticky');
    await mkdir(sticky);
    await chmod(sticky, 0o1777);
    for (const bad of [join(root, 'missing'), file, '', open]) {
      expect(rubyTmpdir({ TMPDIR: bad, TMP: other })).toBe(other);
    }
    expect(rubyTmpdir({ TMPDIR: sticky, TMP: other })).toBe(sticky);
  });

  it('resolves a relative variable against the working directory, which is the last candidate', () => {
    expect(rubyTmpdir({ TMPDIR: 'usable' }, fileSystemProbe, root)).toBe(usable);
    expect(rubyTmpdir({}, only(root), root)).toBe(root);
    expect(rubyTmpdir({}, only(), root)).toBe('/tmp');
  });

  it('strips a trailing slash and reads process.env by default', () => {
    expect(defaultPaths({ env: { TMPDIR: `${usable}/` } }).directory).toBe(usable);
    const previous = process.env['TMPDIR'];
    process.env['TMPDIR'] = usable;
    try {
      expect(defaultPaths({ commandName: 'x' }).socket).toBe(join(usable, 'einhorn-x.sock'));
    } finally {
      if (previous === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = previous;
    }
  });
});
