import type { EinhornProtocolError } from './errors/errors.ts';

/** The result of a non-throwing parser: either the data or the typed error. */
export type SafeResult<T, E> =
  { readonly success: true; readonly data: T } | { readonly success: false; readonly error: E };

// ── environment ─────────────────────────────────────────────────────────────

/** Where environment variables are read from; `process.env` has this shape. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** What Einhorn tells a worker through its environment (docs/reference/protocol.md, "Worker environment"), validated. */
export interface EinhornEnv {
  /** Listening fds in `-b` order: `fds[i]` is `EINHORN_FD_<i>`. Not necessarily 3, 4, …. */
  readonly fds: readonly number[];
  /**
   * Where {@link EinhornEnv.fds} came from: `'count'` (`EINHORN_FD_COUNT` + `EINHORN_FD_<i>`),
   * `'legacy'` (the space-separated `EINHORN_FDS` of einhorn ≤ 0.8 and socketmaster),
   * or `'none'` (neither was set, so there are no fds).
   */
  readonly fdSource: 'count' | 'legacy' | 'none';
  /** `EINHORN_SOCK_PATH`: the master's command socket, verbatim (may be relative). */
  readonly sockPath?: string;
  /** `EINHORN_SOCK_FD`: only with `einhorn -g`; usually closed in exec'd workers (PROTOCOL P1), so verify before use. */
  readonly sockFd?: number;
  /** `EINHORN_MASTER_PID`: the master's pid; a real worker's parent pid equals it. */
  readonly masterPid?: number;
  /** `EINHORN_CHILD_INDEX`: unique among live workers, but may be ≥ the worker count (PROTOCOL P11). */
  readonly childIndex?: number;
}

/** Options for {@link parseEinhornEnv} and {@link safeParseEinhornEnv}. */
export interface ParseEnvOptions {
  /**
   * Read the legacy `EINHORN_FDS` ("7 9") when `EINHORN_FD_COUNT` is absent.
   * When `EINHORN_FD_COUNT` is present, `EINHORN_FDS` is always ignored.
   * @default true
   */
  readonly legacyFds?: boolean;
}

/** Options for {@link serializeEinhornEnv}. */
export interface SerializeEnvOptions {
  /**
   * Also write the legacy `EINHORN_FDS` ("7 9", or "" with no fds), as einhorn 0.8.2 did.
   * @default false
   */
  readonly legacyFds?: boolean;
}

// ── messages ────────────────────────────────────────────────────────────────

/** A request's correlation id: any scalar. `null` means absent, as in einhorn. */
export type RequestId = string | number | boolean;

/** Fields every command may carry. */
export interface BaseCommand {
  /** Correlation id; replies carry it back as `request_id`. Without it, replies use the old style (no `request_id`, no `wait`). */
  readonly id?: RequestId;
}

/** A command that only takes string arguments (`einhornsh` sends `args` with every command). */
export interface CommandWithArgs extends BaseCommand {
  /** Arguments, always strings (numbers are sent as `'3'`). Einhorn answers `No args provided` when missing. */
  readonly args?: readonly string[];
}

/** Manual ACK from a worker: "I am up". The master closes the connection without replying. */
export interface WorkerAckCommand extends BaseCommand {
  readonly command: 'worker:ack';
  /** The worker's own pid, an integer (a string pid is not recognised by einhorn). */
  readonly pid: number;
  /**
   * einhorn-node only: ask the master for one reply line saying whether the ACK counted
   * (the real einhorn ignores this key and replies nothing, PROTOCOL P10).
   */
  readonly confirm?: boolean;
}
/** Liveness ping from a worker; recorded in `state` only. The master closes the connection without replying. */
export interface WorkerPingCommand extends BaseCommand {
  readonly command: 'worker:ping';
  /** The worker's own pid. */
  readonly pid: number;
  /** Free-form id stored as `pinged_request_id`. */
  readonly request_id: string;
}
/** Greeting sent by interactive `einhornsh`. */
export interface EhloCommand extends BaseCommand {
  readonly command: 'ehlo';
  /** The user's name, echoed in the welcome banner. */
  readonly user?: string;
}
/** List the commands. */
export interface HelpCommand extends BaseCommand {
  readonly command: 'help';
}
/** Dump the master's state (a YAML document inside the reply message). */
export interface StateCommand extends BaseCommand {
  readonly command: 'state';
  /**
   * `'json'` asks einhorn-node for JSON text instead of einhorn's Ruby-tagged YAML. einhorn
   * ignores the field and always replies with YAML.
   */
  readonly format?: string;
}
/** Re-exec the master, keeping workers. */
export interface ReloadCommand extends BaseCommand {
  readonly command: 'reload';
}
/** Add one worker. */
export interface IncCommand extends BaseCommand {
  readonly command: 'inc';
}
/** Remove one worker (not below 1). */
export interface DecCommand extends BaseCommand {
  readonly command: 'dec';
}
/** Set the worker count: `args: ['N']`. */
export interface SetWorkersCommand extends CommandWithArgs {
  readonly command: 'set_workers';
}
/** Log less. */
export interface QuieterCommand extends BaseCommand {
  readonly command: 'quieter';
}
/** Log more. */
export interface LouderCommand extends BaseCommand {
  readonly command: 'louder';
}
/** Smooth upgrade, one worker at a time; progress replies carry `wait: true`. */
export interface UpgradeCommand extends BaseCommand {
  readonly command: 'upgrade';
}
/** Fleet upgrade: all new workers first, then all old ones retire. */
export interface UpgradeFleetCommand extends BaseCommand {
  readonly command: 'upgrade_fleet';
}
/** Send signals to every worker: `args: ['USR1', …]`. */
export interface SignalCommand extends CommandWithArgs {
  readonly command: 'signal';
}
/** Stop the master after signalling workers: `args: []` or `args: ['SIG']`. */
export interface DieCommand extends CommandWithArgs {
  readonly command: 'die';
}
/** Merge YAML into the master's state: `args: ['YAML', …]` (einhorn does no validation, PROTOCOL P18). */
export interface ConfigCommand extends CommandWithArgs {
  readonly command: 'config';
}

/** Every request the command socket understands, discriminated on `command`. */
export type EinhornCommand =
  | WorkerAckCommand
  | WorkerPingCommand
  | EhloCommand
  | HelpCommand
  | StateCommand
  | ReloadCommand
  | IncCommand
  | DecCommand
  | SetWorkersCommand
  | QuieterCommand
  | LouderCommand
  | UpgradeCommand
  | UpgradeFleetCommand
  | SignalCommand
  | DieCommand
  | ConfigCommand;

/** A command's name, e.g. `'worker:ack'` or `'upgrade_fleet'`. */
export type CommandName = EinhornCommand['command'];

/** One reply line from the master. Keys are emitted in this order. */
export interface EinhornReply {
  /** Human-readable text; may be `''` or contain newlines. */
  readonly message: string;
  /** The request's `id`, when it had one. */
  readonly request_id?: RequestId;
  /** `true` when more replies to the same request follow (upgrade progress). */
  readonly wait?: boolean;
}

/** Options for decoding one command-socket line. */
export interface DecodeOptions {
  /**
   * Longest accepted line in UTF-8 bytes, excluding the final `\n`.
   * @default 1048576
   */
  readonly maxLineBytes?: number;
}

/**
 * How the master classifies one request line before dispatching it (docs/reference/protocol.md, "Commands").
 * Each kind maps to one einhorn reply, noted on the member.
 */
export type ReadRequestResult =
  /** Not YAML, or not a mapping → `Could not parse command`, never with a `request_id`. */
  | { readonly kind: 'unparseable' }
  /** A mapping without `command` → `No "command" parameter provided; not sure what you want me to do.` */
  | { readonly kind: 'no-command'; readonly id?: RequestId }
  /** An unknown name → `Unrecognized command: "NAME"` followed by the help list. */
  | { readonly kind: 'unknown-command'; readonly name: string; readonly id?: RequestId }
  /** A known name whose fields are wrong (e.g. a string `pid`); `raw` is the decoded mapping. */
  | {
      readonly kind: 'invalid';
      readonly name: CommandName;
      readonly id?: RequestId;
      readonly error: EinhornProtocolError;
      readonly raw: Readonly<Record<string, unknown>>;
    }
  /** A valid command. */
  | { readonly kind: 'command'; readonly command: EinhornCommand; readonly id?: RequestId };

/** Options for {@link createLineSplitter}. */
export interface LineSplitterOptions {
  /**
   * Longest accepted line in bytes, excluding the `\n`; enforced while the line is still incomplete.
   * @default 1048576
   */
  readonly maxLineBytes?: number;
}

/** Incremental `\n` framing for a byte stream (a command-socket connection). */
export interface LineSplitter {
  /**
   * Add a chunk and return the lines it completed, without their `\n`, decoded as UTF-8.
   * @throws EinhornProtocolError `ERR_EINHORN_PROTOCOL_LINE_TOO_LONG` when a line exceeds the limit;
   * the splitter then stays failed and the caller should close the connection.
   */
  push(chunk: string | Uint8Array): string[];
  /** Return the buffered partial line (no `\n` seen yet), if any, and reset. */
  flush(): string | undefined;
  /** Bytes of the incomplete line currently buffered. */
  readonly bufferedBytes: number;
}
