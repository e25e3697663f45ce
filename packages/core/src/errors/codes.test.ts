import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from './codes.ts';

const docPath = fileURLToPath(new URL('../../../../docs/reference/errors.md', import.meta.url));
const registrySource = readFileSync(fileURLToPath(new URL('./codes.ts', import.meta.url)), 'utf8');
const CLASSES = [
  'EinhornError',
  'EinhornEnvError',
  'EinhornFdError',
  'EinhornProtocolError',
  'EinhornAckError',
  'EinhornShutdownError',
  'EinhornMasterError',
  'EinhornClientError',
];

interface Row {
  readonly code: string;
  readonly className: string;
  readonly cells: readonly string[];
}

function documentedRows(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(docPath, 'utf8').split('\n')) {
    const match = /^\|\s*`(ERR_[A-Z_]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match === null) continue;
    const cells = (match[2] ?? '').split('|').map((cell) => cell.trim());
    rows.push({ code: match[1] ?? '', className: (cells[0] ?? '').replaceAll('`', ''), cells });
  }
  return rows;
}

describe('docs/reference/errors.md', () => {
  it('lists exactly the codes of the registry, once each', () => {
    const documented = documentedRows().map((row) => row.code);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(ErrorCodes).sort());
  });

  it('gives every code a known class, a meaning, where it is thrown and a remedy', () => {
    for (const row of documentedRows()) {
      expect(CLASSES, row.code).toContain(row.className);
      expect(row.cells, row.code).toHaveLength(4);
      for (const cell of row.cells) expect(cell.length, row.code).toBeGreaterThan(3);
    }
  });
});

describe('errors/codes.ts', () => {
  it('documents every code with a JSDoc saying meaning, thrown by and remedy', () => {
    for (const code of Object.keys(ErrorCodes)) {
      const match = new RegExp(String.raw`/\*\*((?:(?!\*/)[\s\S])*)\*/\s*${code}:`).exec(
        registrySource,
      );
      expect(match, code).not.toBeNull();
      expect(match?.[1]).toMatch(/Meaning: [\s\S]+Thrown by: [\s\S]+Remedy: /);
    }
  });
});
