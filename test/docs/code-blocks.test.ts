// The TypeScript in the guides is real: every ```ts block is a copy of a file in docs/examples
// (or of one `// #region` of it), and examples.test.ts compiles and runs those files.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPESCRIPT_LANGS, expectedContent, includeOf } from './support/includes.ts';
import type { Include } from './support/includes.ts';
import { codeBlocks } from './support/markdown.ts';
import { exampleSources, guideFiles, repoPath } from './support/repo.ts';

interface GuideBlock {
  readonly guide: string;
  readonly line: number;
  readonly content: string;
  readonly include: Include | undefined;
}

function typescriptBlocks(): GuideBlock[] {
  return guideFiles().flatMap((guide) =>
    codeBlocks(readFileSync(guide, 'utf8'))
      .filter((block) => TYPESCRIPT_LANGS.has(block.lang))
      .map((block) => ({
        guide,
        line: block.line,
        content: block.content,
        include: includeOf(block, guide),
      })),
  );
}

describe('TypeScript in the guides', () => {
  const blocks = typescriptBlocks();
  const where = (block: GuideBlock): string => `${repoPath(block.guide)}:${block.line}`;

  it('has blocks to check', () => {
    expect(blocks.length).toBeGreaterThan(15);
  });

  it('announces every ```ts block with an include comment naming a docs/examples file', () => {
    const bare = blocks.filter((block) => block.include === undefined).map(where);
    expect(bare).toEqual([]);
  });

  it('shows exactly the included file or region in every block', () => {
    const mismatches = blocks.flatMap((block) => {
      if (block.include === undefined) return [];
      let expected: string;
      try {
        expected = expectedContent(block.include);
      } catch (error) {
        return [`${where(block)}: ${String(error)}`];
      }
      return block.content === expected
        ? []
        : [
            `${where(block)} differs from ${repoPath(block.include.file)}${block.include.region === undefined ? '' : `#${block.include.region}`}`,
          ];
    });
    expect(mismatches).toEqual([]);
  });

  it('uses every docs/examples file in some guide', () => {
    const used = new Set(blocks.map((block) => block.include?.file));
    const unused = exampleSources()
      .filter((file) => !used.has(file))
      .map((file) => basename(file));
    expect(unused).toEqual([]);
  });
});
