import type { EnvSource } from '@einhorn/core';

function copy(env: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

function without(
  env: Readonly<Record<string, string>>,
  names: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.has(name)));
}

/**
 * The environment einhorn's re-exec would give each generation of workers. einhorn keeps its
 * start-up environment, and on every reload restores it minus the `--drop-env-var` names before
 * exec'ing the re-exec command line; the re-exec'd master's environment (with whatever that
 * command line set) is then both what its workers get and the start-up environment of the next
 * reload. einhorn-node keeps its process, so it keeps these two environments here instead.
 */
export class GenerationEnv {
  #current: Record<string, string>;
  readonly #drop: ReadonlySet<string>;

  constructor(startup: EnvSource, drop: readonly string[]) {
    this.#current = copy(startup);
    this.#drop = new Set(drop);
  }

  /** What workers of the current generation get (the first generation keeps dropped variables). */
  get current(): Readonly<Record<string, string>> {
    return this.#current;
  }

  /** einhorn's `initialize_reload_environment`: the start-up environment minus the dropped names. */
  restored(): Record<string, string> {
    return without(this.#current, this.#drop);
  }

  /** Removes variables for good (e.g. systemd's `LISTEN_*` once the master adopted the sockets). */
  forget(names: readonly string[]): void {
    this.#current = without(this.#current, new Set(names));
  }

  /** Starts a new generation with `env` (what the re-exec command line reported, or `restored()`). */
  adopt(env: EnvSource): void {
    this.#current = copy(env);
  }
}
