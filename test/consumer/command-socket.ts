// A minimal einhorn command-socket client for the consumer apps: one JSON request line, JSON reply
// lines until one without `wait: true` (einhorn's framing; docs/reference/protocol.md).
import { connect } from 'node:net';

export interface Reply {
  readonly message: string;
  readonly wait?: boolean;
}

/** Sends `command` and resolves with every reply line once the last one (no `wait`) arrived. */
export function request(
  socketPath: string,
  command: string,
  fields: Readonly<Record<string, string>> = {},
): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const replies: Reply[] = [];
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`${JSON.stringify({ id: command, command, args: [], ...fields })}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const reply = JSON.parse(buffer.slice(0, newline)) as Reply;
        buffer = buffer.slice(newline + 1);
        replies.push(reply);
        if (reply.wait !== true) {
          socket.end();
          resolve(replies);
          return;
        }
        newline = buffer.indexOf('\n');
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      reject(
        new Error(`command socket closed before "${command}" finished: ${JSON.stringify(replies)}`),
      );
    });
  });
}

/** The TCP ports the master bound, from its `state` (JSON on request; YAML by default). */
export async function boundPorts(socketPath: string): Promise<number[]> {
  const [reply] = await request(socketPath, 'state', { format: 'json' });
  return (JSON.parse(reply?.message ?? '{}') as { state: { bound_ports: number[] } }).state
    .bound_ports;
}
