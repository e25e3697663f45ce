// Observation helpers for the einhorn-node integration tests: parse the master's JSON log, read
// /proc, and talk raw bytes to the command socket.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** One line of `--log-format json`. */
export interface JsonLogLine {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly tag?: string;
}

/**
 * The master's stderr parsed as `--log-format json` lines (other lines are skipped). Only complete
 * lines count: stderr is read while the master writes, so the text may end inside a line.
 */
export function jsonLog(stderr: string): JsonLogLine[] {
  return stderr
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonLogLine);
}

/** Every `===> Launched` line, in order (spawn order, as the master logged it). */
export function launches(stderr: string): { pid: number; index: number }[] {
  return jsonLog(stderr).flatMap((line) => {
    const match = /^===> Launched (\d+) \(index: (\d+)\)$/.exec(line.msg);
    return match ? [{ pid: Number(match[1]), index: Number(match[2]) }] : [];
  });
}

/**
 * The master's own account of a gradual spawn, from the line it logs just before launching:
 * `Last spinup was X s ago, and spinup_interval is Y s, so spinning up a new process.`, with
 * `(there have been K consecutive unacked worker deaths)` appended when K > 0 (info level; the
 * K = 0 line is debug, so it shows only with `-v`).
 */
export interface SpinupReport {
  /** Seconds since the previous spawn, measured by the master (3 decimals). */
  readonly sinceLastSpawnS: number;
  /** The backoff interval the master applied: `min(s·1.5^K, 30)` seconds. */
  readonly intervalS: number;
  /** K: consecutive worker deaths before ACK, as the master counts them. */
  readonly deaths: number;
}

export function spinupReport(msg: string): SpinupReport | undefined {
  const match =
    /^Last spinup was ([\d.]+)s ago, and spinup_interval is ([\d.e+-]+)s, so spinning up a new process\.(?: \(there have been (\d+) consecutive unacked worker deaths\))?$/.exec(
      msg,
    );
  if (!match) return undefined;
  return {
    sinceLastSpawnS: Number(match[1]),
    intervalS: Number(match[2]),
    deaths: Number(match[3] ?? 0),
  };
}

/** A raw command-socket connection: write exact bytes, read everything the master sends. */
export interface RawSession {
  write(text: string): void;
  /** Resolves with every byte received once the master closes the connection. */
  readonly closed: Promise<string>;
  /** Bytes received so far. */
  data(): string;
  /** Resolves with everything received once it ends with a complete line (LF). */
  line(): Promise<string>;
  destroy(): void;
}

export async function rawSession(path: string): Promise<RawSession> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let data = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
  const closed = new Promise<string>((resolve) => {
    socket.once('close', () => {
      resolve(data);
    });
  });
  const line = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const check = (): void => {
        if (!data.endsWith('\n')) return;
        socket.off('data', check).off('close', closedEarly);
        resolve(data);
      };
      const closedEarly = (): void => {
        socket.off('data', check);
        if (data.endsWith('\n')) resolve(data);
        else
          reject(
            new Error(`connection closed before a complete line; received ${JSON.stringify(data)}`),
          );
      };
      socket.on('data', check).once('close', closedEarly);
      check();
    });
  return {
    write: (text) => socket.write(text),
    closed,
    data: () => data,
    line,
    destroy: () => socket.destroy(),
  };
}

/** True while `pid` exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The inode of the TCP socket listening on `port` (from /proc/net/tcp and tcp6), if any. */
export function listeningInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') return fields[9];
    }
  }
  return undefined;
}
