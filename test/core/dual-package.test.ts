import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as esm from '@einhorn/core';
import * as esmSchema from '@einhorn/core/schema';
import * as esmYaml from '@einhorn/core/yaml';
import { testNode } from '../helpers/spawn-fixture.ts';

// The built CommonJS copy, loaded next to the ESM copy as happens when an app mixes `require` and `import`.
const require = createRequire(import.meta.url);
const cjs = require('@einhorn/core') as typeof esm;
const cjsSchema = require('@einhorn/core/schema') as typeof esmSchema;
const cjsYaml = require('@einhorn/core/yaml') as typeof esmYaml;

const classNames = [
  'EinhornError',
  'EinhornEnvError',
  'EinhornFdError',
  'EinhornProtocolError',
  'EinhornAckError',
  'EinhornShutdownError',
  'EinhornMasterError',
  'EinhornClientError',
] as const;

describe('@einhorn/core ESM + CJS entries', () => {
  it('load one copy of the same API: the ESM entry re-exports the CommonJS build', () => {
    // Vitest's module runner may load a subpath twice; Node's own loader, below, is checked for
    // one copy of every entry.
    expect(cjs.EinhornError).toBe(esm.EinhornError);
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(Object.keys(cjsSchema).sort()).toEqual(Object.keys(esmSchema).sort());
    expect(Object.keys(cjsYaml).sort()).toEqual(Object.keys(esmYaml).sort());
  });

  it('instanceof works across the copies, in both directions, for every class', () => {
    const fromCjs = new cjs.EinhornFdError(
      'ERR_EINHORN_FD_OUT_OF_RANGE',
      'Only 1 fd available, but fd index 2 was requested.',
    );
    const fromEsm = new esm.EinhornEnvError('ERR_EINHORN_ENV_MISSING', 'none set');
    expect(fromCjs).toBeInstanceOf(esm.EinhornFdError);
    expect(fromCjs).toBeInstanceOf(esm.EinhornError);
    expect(fromCjs instanceof esm.EinhornEnvError).toBe(false);
    expect(fromEsm).toBeInstanceOf(cjs.EinhornEnvError);
    expect(fromEsm).toBeInstanceOf(cjs.EinhornError);
    expect(fromEsm instanceof cjs.EinhornFdError).toBe(false);
    expect(esm.isEinhornError(fromCjs, 'ERR_EINHORN_FD_OUT_OF_RANGE')).toBe(true);
    expect(cjs.isEinhornError(fromEsm, 'ERR_EINHORN_ENV_MISSING')).toBe(true);
    for (const name of classNames) {
      const Cjs = cjs[name] as unknown as new (code: string, message: string) => Error;
      const Esm = esm[name] as unknown as new (code: string, message: string) => Error;
      expect(new Cjs('ERR_EINHORN_INVALID_OPTIONS', 'x')).toBeInstanceOf(Esm);
      expect(new Esm('ERR_EINHORN_INVALID_OPTIONS', 'x')).toBeInstanceOf(Cjs);
    }
  });

  it('errors thrown by a subpath entry are recognised by the main entry of either copy', () => {
    expect(() => cjsYaml.decodeMessage('!ruby/object:Foo {}')).toThrow(esm.EinhornProtocolError);
    expect(() => esmSchema.parseReply('{}')).toThrow(cjs.EinhornProtocolError);
    expect(() => esmYaml.decodeMessage('{}', { maxLineBytes: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_EINHORN_INVALID_OPTIONS' }),
    );
  });

  it('errors thrown by one copy are recognised by the other', () => {
    const thrown = cjs.safeParseEinhornEnv({});
    expect(thrown.success).toBe(false);
    if (thrown.success) return;
    expect(thrown.error).toBeInstanceOf(esm.EinhornEnvError);
    expect(String(thrown.error)).toMatch(/^EinhornEnvError \[ERR_EINHORN_ENV_MISSING\]: /);
  });

  it('both copies encode and decode identically', () => {
    const line = esm.encodeMessage({ command: 'worker:ack', pid: 123 });
    expect(cjs.encodeMessage({ command: 'worker:ack', pid: 123 })).toBe(line);
    expect(cjsSchema.parseCommand(line)).toEqual(esmSchema.parseCommand(line));
    expect(cjsYaml.decodeMessage(line)).toEqual(esmYaml.decodeMessage(line));
    expect(cjsSchema.commandSchema.parse({ command: 'inc' })).toEqual(
      esmSchema.commandSchema.parse({ command: 'inc' }),
    );
  });
});

// The same cross-copy check inside a process started with the Node under test (20, 22 or 24).
const CROSS_COPY_SCRIPT = `
import { createRequire } from 'node:module';
import * as esm from '@einhorn/core';
import { readRequest, parseReply } from '@einhorn/core/schema';
import { decodeMessage } from '@einhorn/core/yaml';
const cjsRequire = createRequire(process.cwd() + '/');
const cjs = cjsRequire('@einhorn/core');
const cjsSchema = cjsRequire('@einhorn/core/schema');
const fromCjs = new cjs.EinhornProtocolError('ERR_EINHORN_PROTOCOL_DECODE', 'x');
const fromEsm = new esm.EinhornAckError('ERR_EINHORN_ACK_TIMEOUT', 'y');
const splitter = esm.createLineSplitter();
const lines = splitter.push(Buffer.from(esm.encodeMessage(esm.workerAck(process.pid)) + cjs.encodeReply('100%', 1)));
process.stdout.write(JSON.stringify({
  node: process.version,
  same: cjs.EinhornError === esm.EinhornError && cjs.createLineSplitter === esm.createLineSplitter &&
    cjsSchema.parseReply === parseReply && cjsRequire('@einhorn/core/yaml').decodeMessage === decodeMessage,
  cjsInEsm: fromCjs instanceof esm.EinhornProtocolError && fromCjs instanceof esm.EinhornError,
  esmInCjs: fromEsm instanceof cjs.EinhornAckError && !(fromEsm instanceof cjs.EinhornFdError),
  requests: lines.map((line) => readRequest(line).kind),
  reply: cjsSchema.parseReply(lines[1]),
}));
`;

describe('@einhorn/core on the Node under test', () => {
  it('loads one copy through import and require, and keeps error identity across them', () => {
    const node = testNode;
    const result = spawnSync(node, ['--input-type=module', '-e', CROSS_COPY_SCRIPT], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      same: true,
      cjsInEsm: true,
      esmInCjs: true,
      requests: ['command', 'no-command'],
      reply: { message: '100%', request_id: 1 },
    });
  });
});
