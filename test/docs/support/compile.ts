// Compiles docs/examples with tsc against the BUILT packages (docs/examples/tsconfig.json:
// NodeNext, no source condition), as an application depending on them would be compiled.
// Each caller gets its own output directory under docs/examples/dist (git-ignored), so test
// files running in parallel never share one, and `@einhorn/*` still resolves from there
// through the repository's node_modules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_EXAMPLES, REPO } from './repo.ts';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

/** A compilation of docs/examples. */
export interface CompiledExamples {
  /** Where the `.js` files are. */
  readonly dir: string;
  /** tsc's exit status: 0 when the examples type-check. */
  readonly status: number | null;
  /** tsc's diagnostics. */
  readonly output: string;
  /** The compiled file for `name` (e.g. 'express-app'). */
  js(name: string): string;
  /** Removes the output directory. */
  remove(): void;
}

/** Type-checks and compiles docs/examples into a fresh directory (tsc runs on the toolchain Node). */
export function compileExamples(): CompiledExamples {
  const parent = join(DOC_EXAMPLES, 'dist');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'test-'));
  const result = spawnSync(
    process.execPath,
    [TSC, '-p', join(DOC_EXAMPLES, 'tsconfig.json'), '--outDir', dir, '--pretty', 'false'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return {
    dir,
    status: result.status,
    output: `${result.stdout}${result.stderr}${result.error === undefined ? '' : String(result.error)}`,
    js: (name) => join(dir, `${name}.js`),
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
