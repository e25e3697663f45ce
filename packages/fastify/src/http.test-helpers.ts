import { request } from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';

/** An environment that makes this test process look like an Einhorn worker with no fds. */
export function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    EINHORN_MASTER_PID: String(process.ppid),
    EINHORN_SOCK_PATH: '/nonexistent/einhorn.sock',
    EINHORN_FD_COUNT: '0',
    EINHORN_CHILD_INDEX: '3',
    ...extra,
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** GET over a given agent, so a test controls which keep-alive socket carries the request. */
export function get(port: number, path: string, agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
