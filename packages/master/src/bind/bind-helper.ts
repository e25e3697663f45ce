import { spawn } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import type { BoundHandle } from '../internal/node-internals.ts';

// Runs in a short-lived child: it creates ONE socket with Node's own `net._createServerHandle`,
// binds it, calls listen(fd, backlog) at once, and sends the fd to the master over the IPC
// channel (SCM_RIGHTS) in the same synchronous turn, then exits without its event loop ever
// polling. The socket is thus LISTEN from the instant it is bound (the kernel queues connections
// from then on, so none is refused), and neither the helper nor the master ever accepts: the
// master only holds the fd for its workers. The helper never closes the handle (libuv would unlink
// a UNIX socket's path); its copy of the fd goes away with the process.
const HELPER_SOURCE = `
const net = require('node:net');
const request = JSON.parse(process.argv[1]);
const report = (message) => process.send(message, () => process.exit(0));
const handle = request.path !== undefined
  ? net._createServerHandle(request.path, -1, -1, undefined, 0)
  : net._createServerHandle(request.ip, request.port, request.family, undefined, request.flags);
if (typeof handle === 'number') {
  report({ ok: false, step: 'bind', errno: handle });
} else {
  const errno = handle.listen(request.backlog);
  // bind() and listen() are one step seen from outside: a SYN that arrives between the two
  // syscalls is refused, so the socket counts as bound once it is listening.
  const boundAt = performance.timeOrigin + performance.now();
  if (errno !== 0) {
    report({ ok: false, step: 'listen', errno });
  } else {
    const out = {};
    if (handle.getsockname) handle.getsockname(out);
    // A first write on an idle IPC pipe completes synchronously: the fd is in flight before exit.
    // Should it ever be queued instead, it is lost with the exit and the master tries again.
    process.send({ ok: true, port: out.port || 0, boundAt }, handle);
    process.exit(0);
  }
}
`;

/** One socket to create in the helper: TCP (IP literal) or a UNIX path. */
export type SocketRequest =
  | {
      readonly ip: string;
      readonly port: number;
      readonly family: 4 | 6;
      readonly flags: number;
      readonly backlog: number;
    }
  | { readonly path: string; readonly backlog: number };

/** What the helper did: the listening handle (now the master's), or the failing step and errno. */
export type SocketResult =
  | {
      readonly ok: true;
      readonly handle: BoundHandle;
      readonly port: number;
      /** When bind() + listen() returned in the helper (epoch ms, microsecond fraction): LISTEN from then on. */
      readonly boundAt: number;
    }
  | { readonly ok: false; readonly step: 'bind' | 'listen'; readonly errno: number };

interface HelperMessage {
  readonly ok: boolean;
  readonly port?: number;
  readonly boundAt?: number;
  readonly step?: 'bind' | 'listen';
  readonly errno?: number;
}

/** The received handle, closing which also removes the UNIX socket path the helper bound. */
function owned(handle: BoundHandle, path: string | undefined): BoundHandle {
  if (path === undefined) return handle;
  return {
    get fd() {
      return handle.fd;
    },
    close(callback) {
      handle.close(callback);
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}

/** Attempts before giving up on a helper that exits without an answer. */
const ATTEMPTS = 3;

/**
 * Creates a socket that is bound and listening from the same instant, without this process or
 * any other ever accepting on it: a helper process binds and listens, then hands the fd over.
 * Rejects only if the helper itself cannot run or keeps dying without an answer.
 */
export async function bindAndListen(request: SocketRequest): Promise<SocketResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runHelper(request);
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
    }
  }
}

async function runHelper(request: SocketRequest): Promise<SocketResult> {
  const child = spawn(process.execPath, ['-e', HELPER_SOURCE, JSON.stringify(request)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {},
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // The helper has exited by the time Node acknowledges the handle: that write fails with EPIPE.
  child.on('error', () => undefined);
  return new Promise<SocketResult>((resolve, reject) => {
    let answered = false;
    child.once('message', (message: HelperMessage, handle: BoundHandle | undefined) => {
      answered = true;
      if (message.ok && handle !== undefined) {
        const path = 'path' in request ? request.path : undefined;
        resolve({
          ok: true,
          handle: owned(handle, path),
          port: message.port ?? 0,
          boundAt: message.boundAt ?? Date.now(),
        });
      } else {
        resolve({ ok: false, step: message.step ?? 'bind', errno: message.errno ?? 0 });
      }
    });
    child.once('close', (code) => {
      if (!answered)
        reject(
          new Error(
            `The bind helper (${process.execPath}) exited with ${String(code)} without an answer: ${stderr.trim()}`,
          ),
        );
    });
  });
}
