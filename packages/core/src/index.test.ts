import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly the curated names from @einhorn/core', async () => {
    expect(Object.keys(await import('./index.ts')).sort()).toMatchInlineSnapshot(`
      [
        "COMMAND_NAMES",
        "DEFAULT_MAX_LINE_BYTES",
        "ENV",
        "EinhornAckError",
        "EinhornClientError",
        "EinhornEnvError",
        "EinhornError",
        "EinhornFdError",
        "EinhornMasterError",
        "EinhornProtocolError",
        "EinhornShutdownError",
        "ErrorCodes",
        "OptionsValidator",
        "createLineSplitter",
        "encodeMessage",
        "encodeReply",
        "escapeLine",
        "fdEnvKey",
        "isEinhornError",
        "parseEinhornEnv",
        "safeParseEinhornEnv",
        "serializeEinhornEnv",
        "stripEinhornEnv",
        "unescapeLine",
        "workerAck",
        "workerPing",
      ]
    `);
  });

  it('exports exactly the zod schemas and validating parsers from @einhorn/core/schema', async () => {
    expect(Object.keys(await import('./schema.ts')).sort()).toMatchInlineSnapshot(`
      [
        "commandSchema",
        "commandSchemas",
        "envSchema",
        "parseCommand",
        "parseReply",
        "readRequest",
        "replySchema",
        "requestIdSchema",
      ]
    `);
  });

  it('exports exactly the YAML decoder, readRequest and Ruby inspect helpers from @einhorn/core/yaml', async () => {
    expect(Object.keys(await import('./yaml.ts')).sort()).toMatchInlineSnapshot(`
      [
        "decodeMessage",
        "decodeRubyYaml",
        "readRequest",
        "rubyClassName",
        "rubyInspect",
      ]
    `);
  });

  it('@einhorn/core/schema re-exports the one readRequest of @einhorn/core/yaml', async () => {
    const yaml = await import('./yaml.ts');
    const schema = await import('./schema.ts');
    expect(schema.readRequest).toBe(yaml.readRequest);
  });

  it('exports exactly the default-paths helper from @einhorn/core/paths', async () => {
    expect(Object.keys(await import('./paths.ts')).sort()).toEqual(['defaultPaths']);
  });
});

const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT_SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)/g;
/** `import type` and `export type` lines load nothing at run time. */
const TYPE_ONLY = /^\s*(?:import|export)\s+type\b/;

/** Every module specifier of the source files reachable from `entry` at run time, keyed by file. */
function sourceGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [resolve(SRC, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (graph.has(file)) continue;
    const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)]
      .filter((match) => !TYPE_ONLY.test(match[0]))
      .map((match) => match[1] ?? match[2] ?? '');
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
    }
  }
  return graph;
}

function packagesImported(entry: string): string[] {
  const bare = [...sourceGraph(entry).values()].flat().filter((s) => !s.startsWith('.'));
  return [...new Set(bare)].sort();
}

describe('dependencies of each entry point (sources)', () => {
  it('the main entry imports only Node built-ins: no zod, no yaml', () => {
    expect(packagesImported('index.ts').filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('/paths imports only Node built-ins', () => {
    expect(packagesImported('paths.ts').filter((s) => !s.startsWith('node:'))).toEqual([]);
  });

  it('/yaml imports neither yaml nor zod (yaml is required lazily); /schema imports only zod', () => {
    expect(packagesImported('yaml.ts').filter((s) => !s.startsWith('node:'))).toEqual([]);
    expect(packagesImported('schema.ts').filter((s) => !s.startsWith('node:'))).toEqual(['zod']);
    // The one place that loads yaml, on first use, through createRequire.
    const lazy = [...sourceGraph('yaml.ts').keys()].filter((file) =>
      readFileSync(file, 'utf8').includes("createRequire(import.meta.url)('yaml')"),
    );
    expect(lazy.map((file) => file.slice(SRC.length + 1))).toEqual(['protocol/load-yaml.ts']);
  });

  it('control: the type-only filter still sees a runtime import of yaml', () => {
    expect(TYPE_ONLY.test("import type { Node } from 'yaml';")).toBe(true);
    expect(TYPE_ONLY.test("import { isMap } from 'yaml';")).toBe(false);
  });
});
