// The `yaml` peer, loaded on first use rather than at import: `@einhorn/core/yaml` and
// `@einhorn/core/schema` decode JSON lines without it (json-fast-path.ts), so a process that only
// ever sees JSON never pays for the library (~12 MiB of resident memory on Node 24).
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

export type YamlLibrary = typeof Yaml;

let library: YamlLibrary | undefined;

/**
 * The `yaml` module, required synchronously on the first call and cached. `createRequire` works in
 * both builds: the CommonJS dist gets `import.meta.url` from tsup's shim, and `yaml`'s `node`
 * export is CommonJS, so the module is shared with any `require('yaml')` of the application.
 *
 * @throws Error `MODULE_NOT_FOUND` when the optional peer `yaml@2` is not installed.
 */
export function loadYaml(): YamlLibrary {
  library ??= createRequire(import.meta.url)('yaml') as YamlLibrary;
  return library;
}
