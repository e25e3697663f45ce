// Long-lived command-socket clients for the fuzzer: idle connections, connections stuck in the
// middle of a line, and a client that pipelines thousands of requests without reading.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { parseReply } from '@einhorn/core/schema';
import { request } from './fuzz-runner.ts';

/**
 * Connections opened between two accept barriers. A UNIX socket's connect() completes once the
 * connection is queued, not accepted, and fails with EAGAIN when the listen backlog (Node: 511)
 * is full, which happens when the server is starved of CPU on a loaded machine. A reply on a
 * fresh connection proves every earlier one was accepted (the accept queue is FIFO).
 */
const ACCEPT_BARRIER_EVERY = 100;

/** A client that pipelines `count` `help` requests in one write and does not read until told to. */
export async function pipelinedClient(
  path: string,
  count: number,
): Promise<{
  readAll(timeoutMs: number): Promise<{ readonly replies: number; readonly inOrder: boolean }>;
}> {
  const socket = connect(path);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.pause();
  socket.write(Array.from({ length: count }, (_, i) => `{"command":"help","id":${i}}\n`).join(''));
  return {
    readAll: (timeoutMs) =>
      new Promise((resolve, reject) => {
        let pending = '';
        let replies = 0;
        let inOrder = true;
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`only ${replies}/${count} pipelined replies within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          socket.destroy();
          resolve({ replies, inOrder });
        };
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const text of lines) {
            if (parseReply(text).request_id !== replies) inOrder = false;
            replies += 1;
          }
          if (replies >= count) done();
        });
        socket.once('close', done);
        socket.resume();
      }),
  };
}

/** Connections held open during a batch: idle ones, and ones stuck in the middle of a line. */
export interface HeldConnections {
  readonly sockets: readonly Socket[];
  /** Completes every half line and asks every idle connection for `help`; resolves with how many answered. */
  finish(timeoutMs: number): Promise<{ readonly answered: number; readonly closed: number }>;
}

export async function holdConnections(
  path: string,
  idle: number,
  halfLines: number,
): Promise<HeldConnections> {
  const sockets: Socket[] = [];
  const answers: Promise<boolean>[] = [];
  const open = async (index: number): Promise<void> => {
    const socket = connect(path);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    let data = '';
    answers[index] = new Promise<boolean>((resolve) => {
      socket.on('data', (chunk: string) => {
        data += chunk;
        if (data.includes(`"request_id":"held-${index}"`)) resolve(true);
      });
      socket.once('close', () => {
        resolve(false);
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    if (index < halfLines) socket.write('{"command":"he'); // a line that will not end until finish()
    sockets.push(socket);
  };
  for (let i = 0; i < idle + halfLines; i++) {
    if (i > 0 && i % ACCEPT_BARRIER_EVERY === 0)
      await request(path, `{"command":"help","id":"barrier-${i}"}`);
    await open(i);
  }
  return {
    sockets,
    async finish(timeoutMs) {
      sockets.forEach((socket, index) =>
        socket.write(
          index < halfLines
            ? `lp","id":"held-${index}"}\n`
            : `{"command":"help","id":"held-${index}"}\n`,
        ),
      );
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          resolve('timeout');
        }, timeoutMs);
      });
      const results = await Promise.race([Promise.all(answers), deadline]);
      clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      if (results === 'timeout')
        throw new Error(`held connections did not all answer within ${timeoutMs} ms`);
      return {
        answered: results.filter(Boolean).length,
        closed: results.filter((ok) => !ok).length,
      };
    },
  };
}
