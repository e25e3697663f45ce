// Sends one hostile probe on a fresh command-socket connection, then (unless the probe must close
// the connection) a sentinel `state` request
// on the same connection, and classifies what came back. Every LF-terminated line must get exactly
// one final reply (a reply without `wait`), in order, unless the server closes the connection,
// which is legitimate only after a worker command or an oversize line.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseReply } from '@einhorn/core/schema';
import type { EinhornReply } from '@einhorn/core';
import type { HostileLine, Probe } from './hostile-lines.ts';

export type ProbeOutcome =
  | { readonly kind: 'answered'; readonly replies: readonly EinhornReply[] }
  | { readonly kind: 'closed'; readonly replies: readonly EinhornReply[] }
  | {
      readonly kind: 'failed';
      readonly problem: string;
      readonly replies: readonly EinhornReply[];
    };

const LF = 0x0a;
/** How einhorn-node's command server begins its reply to a line over its limit. */
const LINE_TOO_LONG = 'Line too long (ERR_EINHORN_PROTOCOL_LINE_TOO_LONG)';

/**
 * Whether the server receives a line (bytes up to an LF, or an unterminated tail) longer than
 * `maxLineBytes`: huge lines, but also generated ones such as deeply nested YAML.
 */
export function exceedsLineLimit(probe: Probe, maxLineBytes: number): boolean {
  let run = 0;
  for (const line of probe.lines) {
    run += line.huge?.size ?? lineBytes(line).length;
    if (line.terminator === '\r\n') run += 1; // the CR belongs to the line
    if (run > maxLineBytes) return true;
    if (line.terminator === '\n' || line.terminator === '\r\n') run = 0;
    else if (line.terminator === '\n\r') run = 1; // LF ends it; the CR starts the next line
  }
  return false;
}

/** The exact bytes of a line, without its terminator. */
export function lineBytes(line: HostileLine): Buffer {
  if (line.bytes !== undefined) return Buffer.from(line.bytes);
  if (line.huge !== undefined) {
    const head = Buffer.from('{"command":"help","id":"huge","pad":"');
    const tail = Buffer.from('"}');
    const padding = Math.max(0, line.huge.size - head.length - tail.length);
    return Buffer.concat([head, Buffer.alloc(padding, 'x'), tail]);
  }
  return Buffer.from(line.text ?? '', 'utf8');
}

export function probeBytes(probe: Probe): Buffer {
  return Buffer.concat(
    probe.lines.flatMap((line) => [lineBytes(line), Buffer.from(line.terminator)]),
  );
}

/** A printable reproducer: the exact bytes as a JS string literal (huge lines abbreviated). */
export function reproducer(probe: Probe): string {
  return probe.lines
    .map((line) =>
      line.huge === undefined
        ? JSON.stringify(lineBytes(line).toString('latin1') + line.terminator)
        : `<${line.huge.size}-byte {"command":"help",...,"pad":"xxx…"} line>${JSON.stringify(line.terminator)}`,
    )
    .join(' + ');
}

/** What the server may and must do with this probe. */
export function expectations(
  probe: Probe,
  maxLineBytes: number,
): {
  readonly mayClose: boolean;
  readonly mustClose: boolean;
  readonly finalReplies: number;
  /** The probe ends inside a line, which the sentinel's leading LF must end first. */
  readonly endsMidLine: boolean;
} {
  const bytes = probeBytes(probe);
  let lf = 0;
  for (const byte of bytes) if (byte === LF) lf += 1;
  let fresh = true;
  let mustClose = exceedsLineLimit(probe, maxLineBytes);
  for (const line of probe.lines) {
    const terminated = line.terminator === '\n' || line.terminator === '\r\n';
    if (line.workerCommand && fresh && terminated) mustClose = true;
    fresh = terminated;
  }
  const mayClose =
    mustClose || bytes.includes('worker') || probe.lines.some((line) => line.huge !== undefined);
  const endsMidLine = bytes.at(-1) !== LF;
  // One final reply per LF: the probe's, the one ending a trailing half line, the sentinel's.
  return {
    mayClose,
    mustClose,
    finalReplies: lf + (endsMidLine ? 1 : 0) + 1,
    endsMidLine,
  };
}

async function write(socket: Socket, bytes: Buffer, probe: Probe): Promise<void> {
  const { delivery } = probe;
  const hasHuge = probe.lines.some((line) => line.huge !== undefined);
  if (delivery.kind === 'whole' || hasHuge) {
    socket.write(bytes);
    return;
  }
  const sizes = delivery.kind === 'chunks' ? delivery.sizes : [delivery.step];
  for (let offset = 0, i = 0; offset < bytes.length && !socket.destroyed; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    socket.write(bytes.subarray(offset, offset + size));
    offset += size;
    await nextTurn(); // a slow writer: the server sees the line arrive in pieces
  }
}

/** Runs one probe; never rejects. */
export function runProbe(
  path: string,
  probe: Probe,
  options: {
    readonly sentinelId: string;
    readonly maxLineBytes: number;
    readonly timeoutMs: number;
  },
): Promise<ProbeOutcome> {
  const expected = expectations(probe, options.maxLineBytes);
  const sentinel = Buffer.from(
    `${expected.endsMidLine ? '\n' : ''}{"command":"state","id":${JSON.stringify(options.sentinelId)},"format":"json"}\n`,
  );
  return new Promise<ProbeOutcome>((resolve) => {
    const replies: EinhornReply[] = [];
    let finals = 0;
    let pending = Buffer.alloc(0);
    let settled = false;
    const socket = connect(path);
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({
        kind: 'failed',
        problem: expected.mustClose
          ? `the connection stayed open ${options.timeoutMs} ms after a worker command or an oversize line`
          : `no complete answer within ${options.timeoutMs} ms (${finals}/${expected.finalReplies} final replies): a hang`,
        replies,
      });
    }, options.timeoutMs);
    socket.on('error', () => undefined); // EPIPE/ECONNRESET after the server closed: judged on 'close'
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let end = pending.indexOf(LF); end !== -1; end = pending.indexOf(LF)) {
        const text = pending.subarray(0, end).toString('utf8');
        pending = pending.subarray(end + 1);
        let reply: EinhornReply;
        try {
          reply = parseReply(text);
        } catch (error) {
          finish({
            kind: 'failed',
            problem: `unreadable reply line ${JSON.stringify(text.slice(0, 200))}: ${String(error)}`,
            replies,
          });
          return;
        }
        // The master's typed refusal of an oversize line precedes its close; it answers no request.
        if (reply.request_id === undefined && reply.message.startsWith(LINE_TOO_LONG)) {
          if (!expected.mayClose)
            finish({
              kind: 'failed',
              problem: 'an oversize-line reply without an oversize line',
              replies,
            });
          continue;
        }
        replies.push(reply);
        if (reply.wait !== true) finals += 1;
        if (finals > expected.finalReplies)
          finish({
            kind: 'failed',
            problem: `more final replies than lines (${finals} > ${expected.finalReplies})`,
            replies,
          });
        else if (finals === expected.finalReplies)
          finish(judgeAnswered(replies, expected.mustClose, options.sentinelId));
      }
    });
    socket.once('close', () => {
      if (expected.mayClose) finish({ kind: 'closed', replies });
      else
        finish({
          kind: 'failed',
          problem: `the server closed the connection after ${finals}/${expected.finalReplies} final replies, without a worker command or an oversize line`,
          replies,
        });
    });
    socket.once('connect', () => {
      void write(socket, probeBytes(probe), probe).then(() => {
        // After a line that must close the connection nothing more is sent: a write to a closed
        // peer fails with EPIPE, and Node then drops reply bytes not yet read (a client-side race).
        if (!socket.destroyed && !expected.mustClose) socket.write(sentinel);
      });
    });
  });
}

function judgeAnswered(
  replies: readonly EinhornReply[],
  mustClose: boolean,
  sentinelId: string,
): ProbeOutcome {
  if (mustClose)
    return {
      kind: 'failed',
      problem: 'the connection stayed open and answered after a worker command or an oversize line',
      replies,
    };
  // The sentinel is the last line sent, but a streamed reply (upgrade) may still finish after it.
  const answers = replies.filter((reply) => reply.request_id === sentinelId);
  const last = answers[0];
  if (answers.length !== 1 || last === undefined)
    return {
      kind: 'failed',
      problem: `the sentinel got ${answers.length} replies`,
      replies,
    };
  try {
    const state = (JSON.parse(last.message) as { state?: { master_pid?: unknown } }).state;
    if (typeof state?.master_pid !== 'number') throw new Error('no master_pid');
  } catch (error) {
    return {
      kind: 'failed',
      problem: `the sentinel state reply is not a state document: ${String(error)}`,
      replies,
    };
  }
  const leaked = replies.find(
    (reply) => reply.message === 'Could not parse command' && reply.request_id !== undefined,
  );
  if (leaked)
    return {
      kind: 'failed',
      problem: `"Could not parse command" carried a request_id (check 14): ${JSON.stringify(leaked)}`,
      replies,
    };
  return { kind: 'answered', replies };
}
