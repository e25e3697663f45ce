// `yaml` is an optional peer that @einhorn/core/yaml loads only for a line that is not plain JSON.
// Installed without it, the entry still imports and decodes JSON lines; a YAML line then fails
// loudly with Node's MODULE_NOT_FOUND (not as a decode error, and not as `unparseable` from
// readRequest, which would hide the missing install). Checked against the built dist, copied into
// a directory where no `yaml` can be resolved; the control adds `yaml` there.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode } from '../helpers/spawn-fixture.ts';

const require = createRequire(import.meta.url);
const CORE = dirname(require.resolve('@einhorn/core/package.json'));
const YAML = dirname(require.resolve('yaml/package.json'));

const PROBE = `
const out = {};
const attempt = (name, run) => {
  try { out[name] = run(); } catch (error) { out[name] = { thrown: error.code ?? error.name }; }
};
attempt('json', () => decodeMessage('{"command":"worker:ack","pid":12345}\\n'));
attempt('request', () => readRequest('{"command":"worker:ack","pid":"1"}\\n').kind);
attempt('yaml', () => decodeMessage('---%0Acommand: worker:ack%0Apid: 12345%0A\\n'));
attempt('yamlRequest', () => readRequest('---%0Acommand: inc%0A\\n').kind);
process.stdout.write(JSON.stringify(out));
`;
const SCRIPTS = {
  cjs: ['-e', `const { decodeMessage, readRequest } = require('@einhorn/core/yaml');${PROBE}`],
  esm: [
    '--input-type=module',
    '-e',
    `import { decodeMessage, readRequest } from '@einhorn/core/yaml';${PROBE}`,
  ],
} as const;

let app: string;

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'einhorn-no-yaml-'));
  const target = join(app, 'node_modules', '@einhorn', 'core');
  mkdirSync(target, { recursive: true });
  cpSync(join(CORE, 'package.json'), join(target, 'package.json'));
  cpSync(join(CORE, 'dist'), join(target, 'dist'), { recursive: true });
});

afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});

function probe(format: keyof typeof SCRIPTS): Record<string, unknown> {
  const node = testNode;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_PATH'];
  const result = spawnSync(node, SCRIPTS[format], {
    cwd: app,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const ACK = { command: 'worker:ack', pid: 12345 };

describe('@einhorn/core/yaml installed without its yaml peer', () => {
  it.each(['cjs', 'esm'] as const)(
    '(%s) JSON lines decode; a YAML line throws MODULE_NOT_FOUND from decodeMessage and readRequest',
    (format) => {
      expect(probe(format)).toEqual({
        json: ACK,
        request: 'invalid',
        yaml: { thrown: 'MODULE_NOT_FOUND' },
        yamlRequest: { thrown: 'MODULE_NOT_FOUND' },
      });
    },
  );

  it('control: with yaml installed next to it, the same YAML lines decode', () => {
    symlinkSync(YAML, join(app, 'node_modules', 'yaml'), 'dir');
    try {
      for (const format of ['cjs', 'esm'] as const) {
        expect(probe(format)).toEqual({
          json: ACK,
          request: 'invalid',
          yaml: ACK,
          yamlRequest: 'command',
        });
      }
    } finally {
      rmSync(join(app, 'node_modules', 'yaml'));
    }
  });
});
