// Every process the harness starts is registered here and stopped by pid: at the end of each
// suite, and on errors or SIGINT by `killEverything()` (children, plus every worker pid the
// topologies reported, since workers are grandchildren).
import { spawn } from 'node:child_process';

const children = new Set();
const grandchildren = new Set();

/** `child_process.spawn` + registration; the child is forgotten once it has exited. */
export function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  child.once('error', () => children.delete(child));
  return child;
}

/** Remembers pids the harness did not spawn itself (workers) so that cleanup can reach them. */
export function rememberPids(pids) {
  for (const pid of pids) grandchildren.add(pid);
}

/** Signals `child`, waits up to `timeoutMs` for it to exit, then SIGKILLs it. */
export async function stopProcess(child, { signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILLs every registered process still alive; synchronous, for exit paths. */
export function killEverything() {
  for (const pid of grandchildren) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const child of children) child.kill('SIGKILL');
}
