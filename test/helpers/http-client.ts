// A deliberately small HTTP/1.1 client over one raw socket, so that tests control exactly
// which connection carries which request and can tell a clean close (FIN) from a reset.
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { HeldListener } from './fake-master.ts';

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How the connection ended. */
export interface ConnectionEnd {
  /** The peer closed cleanly (FIN) rather than resetting. */
  readonly clean: boolean;
  readonly error: NodeJS.ErrnoException | undefined;
}

interface Pending {
  readonly resolve: (response: HttpResponse) => void;
  readonly reject: (error: Error) => void;
}

/** Parses one response at the start of `buffer`; `undefined` while incomplete. */
function parseResponse(buffer: Buffer): { response: HttpResponse; rest: Buffer } | undefined {
  const headerEnd = buffer.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  const [statusLine = '', ...headerLines] = buffer
    .subarray(0, headerEnd)
    .toString('latin1')
    .split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = buffer.subarray(headerEnd + 4);
  let consumed: number;
  if (headers['transfer-encoding'] === 'chunked') {
    const chunks: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
      if (body.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
      if (size === 0) break;
    }
    consumed = offset;
    body = Buffer.concat(chunks);
  } else {
    const length = Number(headers['content-length'] ?? '0');
    if (body.length < length) return undefined;
    consumed = length;
    body = body.subarray(0, length);
  }
  const status = Number(statusLine.split(' ')[1]);
  return {
    response: { status, headers, body: body.toString('utf8') },
    rest: buffer.subarray(headerEnd + 4 + consumed),
  };
}

/** One keep-alive HTTP connection to a fake-master listener. */
export class HttpConnection {
  readonly socket: Socket;
  /** Settles when the socket has closed, saying whether the server closed it cleanly. */
  readonly ended: Promise<ConnectionEnd>;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #pending: Pending[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    let error: NodeJS.ErrnoException | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err;
      for (const pending of this.#pending.splice(0)) pending.reject(err);
    });
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (
        let parsed = parseResponse(this.#buffer);
        parsed !== undefined;
        parsed = parseResponse(this.#buffer)
      ) {
        this.#buffer = parsed.rest;
        this.#pending.shift()?.resolve(parsed.response);
      }
    });
    this.ended = new Promise<ConnectionEnd>((resolve) => {
      socket.once('close', (hadError) => {
        for (const pending of this.#pending.splice(0))
          pending.reject(new Error('connection closed before the response'));
        resolve({ clean: !hadError && error === undefined, error });
      });
    });
  }

  static async open(listener: HeldListener): Promise<HttpConnection> {
    const socket =
      listener.kind === 'tcp'
        ? connect({ host: '127.0.0.1', port: listener.port })
        : connect({ path: listener.path });
    await once(socket, 'connect');
    return new HttpConnection(socket);
  }

  /** Sends `GET path` (HTTP/1.1, keep-alive) and resolves with the response. */
  get(path: string): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: fixture\r\nConnection: keep-alive\r\n\r\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One request on its own connection, closed afterwards. */
export async function httpGet(listener: HeldListener, path: string): Promise<HttpResponse> {
  const connection = await HttpConnection.open(listener);
  try {
    return await connection.get(path);
  } finally {
    connection.close();
  }
}

/** A {@link HeldListener} for a TCP port on 127.0.0.1 that no fake master holds (fallback, systemd). */
export function tcpListener(port: number): HeldListener {
  return {
    kind: 'tcp',
    port,
    path: '',
    backlog: 0,
    connectOptions: { host: '127.0.0.1', port },
  };
}
