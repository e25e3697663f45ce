// Runs batches of hostile probes against a live command socket with bounded concurrency, and
// tallies outcomes and replies by kind. Shared by command-socket-fuzz.test.ts and
// scripts/fuzz-command-socket.mjs.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { parseReply } from '@einhorn/core/schema';
import type { EinhornReply } from '@einhorn/core';
import type { Probe } from './hostile-lines.ts';
import { exceedsLineLimit, expectations, reproducer, runProbe } from './probe-client.ts';

/**
 * V8 flags for processes whose memory is measured. By default V8 on Node 24 lets the heap grow to
 * ~280 MB under this load before collecting hard, with nothing retained (the RSS stays near 100 MB
 * with these flags), so RSS growth under default flags measures GC policy, not leaks. With the heap
 * capped, a leak would crash the process (caught as a crash) and RSS growth means retention.
 */
export const CAPPED_HEAP_NODE_OPTIONS = '--max-old-space-size=96 --max-semi-space-size=4';

export type ReplyKind =
  'could-not-parse' | 'no-command' | 'unrecognized' | 'invalid-request' | 'dispatched';

export interface FuzzFailure {
  readonly problem: string;
  /** The exact bytes sent before the sentinel, as JS string literals. */
  readonly reproducer: string;
}

export interface FuzzStats {
  probes: number;
  linesSent: number;
  bytesSent: number;
  answered: number;
  closedAfterWorkerCommand: number;
  closedOversize: number;
  replies: Record<ReplyKind, number>;
  failures: FuzzFailure[];
}

export function emptyStats(): FuzzStats {
  return {
    probes: 0,
    linesSent: 0,
    bytesSent: 0,
    answered: 0,
    closedAfterWorkerCommand: 0,
    closedOversize: 0,
    replies: {
      'could-not-parse': 0,
      'no-command': 0,
      unrecognized: 0,
      'invalid-request': 0,
      dispatched: 0,
    },
    failures: [],
  };
}

export function classifyReply(reply: EinhornReply): ReplyKind {
  const { message } = reply;
  if (message === 'Could not parse command') return 'could-not-parse';
  if (message.startsWith('No "command" parameter provided')) return 'no-command';
  if (message.startsWith('Unrecognized command: ')) return 'unrecognized';
  if (
    /^(Invalid ".*" request: |No args provided$|Args must be an array$|Argument is a )/s.test(
      message,
    )
  )
    return 'invalid-request';
  return 'dispatched';
}

let sentinelCounter = 0;

/** Runs every probe (at most `concurrency` connections at once) and adds to `stats`. */
export async function runBatch(
  path: string,
  probes: readonly Probe[],
  options: {
    readonly concurrency: number;
    readonly maxLineBytes: number;
    readonly timeoutMs: number;
    readonly stats: FuzzStats;
  },
): Promise<void> {
  const { stats } = options;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < probes.length) {
      const probe = probes[next++];
      if (probe === undefined) return;
      sentinelCounter += 1;
      const sentinelId = `sentinel-${process.pid}-${sentinelCounter}`;
      const outcome = await runProbe(path, probe, {
        sentinelId,
        maxLineBytes: options.maxLineBytes,
        timeoutMs: options.timeoutMs,
      });
      stats.probes += 1;
      stats.linesSent += probe.lines.length;
      stats.bytesSent += probe.lines.reduce(
        (sum, line) =>
          sum + (line.huge?.size ?? line.bytes?.length ?? Buffer.byteLength(line.text ?? '')),
        0,
      );
      for (const reply of outcome.replies)
        if (reply.request_id !== sentinelId) stats.replies[classifyReply(reply)] += 1;
      if (outcome.kind === 'failed')
        stats.failures.push({
          problem: outcome.problem,
          reproducer: reproducer(probe),
        });
      else if (outcome.kind === 'answered') stats.answered += 1;
      else if (exceedsLineLimit(probe, options.maxLineBytes)) stats.closedOversize += 1;
      else stats.closedAfterWorkerCommand += 1;
      if (outcome.kind === 'closed' && !expectations(probe, options.maxLineBytes).mayClose)
        throw new Error('unreachable: closed without mayClose');
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

/** Sends one request on a fresh connection and resolves with its first final reply. */
export function request(path: string, line: string, timeoutMs = 30_000): Promise<EinhornReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${line} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: string) => {
      data += chunk;
      for (const text of data.split('\n').slice(0, -1)) {
        const reply = parseReply(text);
        if (reply.wait === true) continue;
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
        return;
      }
    });
    socket.once('connect', () => socket.write(`${line}\n`));
  });
}

/** The `state` document (its `state` key, as einhorn-node's JSON) from a fresh connection. */
export async function queryState(path: string): Promise<Record<string, unknown>> {
  const reply = await request(path, '{"command":"state","id":"health","format":"json"}');
  return (JSON.parse(reply.message) as { state: Record<string, unknown> }).state;
}

/** Resident set size of `pid` in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}
