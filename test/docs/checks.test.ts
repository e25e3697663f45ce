// The numbered conformance checks: every "check N" cited in the repository's files (source,
// tests, docs, scripts) has a row in docs/reference/checks.md, and every file a row names exists
// and cites that check. And the repository's text points only at what is in the repository: no
// paths into a sibling shared/ directory, no outside PROTOCOL.md-style documents, and no "§N"
// section numbers that docs/reference/protocol.md does not have.
import { describe, expect, it } from 'vitest';
import {
  baseNames,
  checkRows,
  citedChecks,
  numberedSections,
  outsideReferences,
  readRepoFile,
  repositoryTextFiles,
} from './support/citations.ts';

const CHECKS = 'docs/reference/checks.md';
const PROTOCOL = 'docs/reference/protocol.md';
/** This test and its support file spell out the patterns they look for. */
const SELF = new Set(['test/docs/checks.test.ts', 'test/docs/support/citations.ts']);

const files = repositoryTextFiles().filter((file) => !SELF.has(file));
const rows = checkRows(readRepoFile(CHECKS));

describe('docs/reference/checks.md', () => {
  it('has one well-formed row per check, in order: number, tag, summary, files', () => {
    expect(rows.length).toBeGreaterThan(50);
    const numbers = rows.map((row) => row.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    const malformed = rows.filter(
      (row) =>
        !Number.isInteger(row.number) ||
        row.number < 1 ||
        !/^(\[[WMC]\])+$/.test(row.tag) ||
        row.summary.length < 20 ||
        row.testedIn.length === 0,
    );
    expect(malformed.map((row) => `${CHECKS}:${row.line}`)).toEqual([]);
  });

  it('lists every check number cited anywhere in the repository', () => {
    const listed = new Set(rows.map((row) => row.number));
    const unlisted = files.flatMap((file) =>
      citedChecks(readRepoFile(file))
        .filter((n) => !listed.has(n))
        .map((n) => `${file}: check ${n}`),
    );
    expect(unlisted).toEqual([]);
    // The scan really covers tests, sources and docs.
    expect(files).toEqual(
      expect.arrayContaining([
        'test/master/upgrades.test.ts',
        'packages/master/src/supervisor/supervisor.test.ts',
        'packages/master/src/command-server/request-handler.ts',
        PROTOCOL,
      ]),
    );
  });

  it('names, for each check, files that exist and cite it', () => {
    const known = new Set(files);
    const wrong = rows.flatMap((row) =>
      row.testedIn.flatMap((file) => {
        if (!known.has(file)) return [`check ${row.number}: ${file} is not in the repository`];
        return citedChecks(readRepoFile(file)).includes(row.number)
          ? []
          : [`check ${row.number}: ${file} does not cite it`];
      }),
    );
    expect(wrong).toEqual([]);
  });
});

describe('references stay inside the repository', () => {
  it('cites no outside file, outside document or missing protocol section', () => {
    const known = baseNames(repositoryTextFiles());
    const sections = numberedSections(readRepoFile(PROTOCOL));
    const found = files.flatMap((file) =>
      outsideReferences(readRepoFile(file), known, sections).map(
        ({ line, text, reason }) => `${file}:${line} ${text}: ${reason}`,
      ),
    );
    expect(found).toEqual([]);
  });
});

describe('the citation scanners themselves', () => {
  it('read single checks, lists and ranges, and nothing else', () => {
    expect(citedChecks('it("check 38: ...") (check 33) checks 22-25; checks 22–26')).toEqual([
      22, 23, 24, 25, 26, 33, 38,
    ]);
    expect(citedChecks('checks 1, 2, 29, 31 and check 37 / P20; checks 41 and 43')).toEqual([
      1, 2, 29, 31, 37, 41, 43,
    ]);
    expect(citedChecks('"Check NN" is a placeholder; health-checked 5 times; P13')).toEqual([]);
  });

  it('parse a table row of checks.md', () => {
    const [row] = checkRows(
      '| Check | Tag | What | Tested in |\n| --- | --- | --- | --- |\n| 7 | [W][M] | Some summary text here. | `a/b.test.ts`, `c.ts` |\n',
    );
    expect(row).toEqual({
      number: 7,
      tag: '[W][M]',
      summary: 'Some summary text here.',
      testedIn: ['a/b.test.ts', 'c.ts'],
      line: 3,
    });
  });

  it('flag outside paths, outside documents and missing sections, and accept what exists', () => {
    const known = new Set(['README.md', 'protocol.md']);
    const text = [
      'see ../shared/PROTOCOL.md and /work/shared/BENCHMARKS.md',
      'PROTOCOL §9.1, STYLE §4, (§4–§7)',
      'fine: docs/reference/protocol.md, README.md, P13, docs/benchmarks.md',
    ].join('\n');
    expect(
      outsideReferences(text, known, new Set()).map(({ line, text: what }) => `${line} ${what}`),
    ).toEqual([
      '1 ../shared/PROTOCOL.md',
      '1 /work/shared/BENCHMARKS.md',
      '1 PROTOCOL.md',
      '1 BENCHMARKS.md',
      '2 §9.1',
      '2 §4',
      '2 §4',
      '2 §7',
    ]);
    expect(numberedSections('# Title\n## 9.1 ACK\n### 12. Upgrades\n## Commands\n')).toEqual(
      new Set(['9.1', '12']),
    );
    expect(outsideReferences('PROTOCOL §9.1', known, new Set(['9.1']))).toEqual([]);
  });
});
