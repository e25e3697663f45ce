// Processes and HTTP traffic for the deployment tests: run a command to completion with the
// Node under test on PATH, read a master's state, GET in a loop and count failures.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { dirname } from 'node:path';
import { connectEinhorn } from '@einhorn/client';
import { baseEnv, testNode } from '../../helpers/spawn-fixture.ts';
import { REPO } from './repo.ts';

/** How a command ended and what it printed. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion with the Node under test first on PATH (for `node` and the bin shebangs). */
export function run(command: string, args: readonly string[], cwd = REPO): Promise<CommandResult> {
  const env = baseEnv({ PATH: `${dirname(testNode)}:${process.env['PATH'] ?? ''}` });
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** `bound_ports` and `version` from einhorn-node's JSON `state` (`"format": "json"`). */
export async function stateOf(socket: string): Promise<{ bound_ports: number[]; version: number }> {
  const client = await connectEinhorn({ path: socket });
  try {
    const [reply] = await client.requestMessage({ command: 'state', id: 1, format: 'json' });
    return (
      JSON.parse(reply?.message ?? '{}') as { state: { bound_ports: number[]; version: number } }
    ).state;
  } finally {
    await client.close();
  }
}

/** GET / in a loop on `clients` keep-alive connections until stopped; records every failure. */
export function load(
  port: number,
  clients: number,
): { stop(): Promise<{ ok: number; failures: string[] }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const failures: string[] = [];
  let ok = 0;
  let running = true;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume().on('end', () => {
          if (res.statusCode === 200) ok += 1;
          else failures.push(`status ${String(res.statusCode)}`);
          resolve();
        });
      }).on('error', (error: NodeJS.ErrnoException) => {
        failures.push(error.code ?? error.message);
        resolve();
      });
    });
  const loops = Array.from({ length: clients }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return { ok, failures };
    },
  };
}

/** GET / once; resolves with the body. */
export function getBody(port: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve(text);
      });
    }).on('error', reject);
  });
}
