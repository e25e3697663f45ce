#!/usr/bin/env node
import { runEinhornsh } from '../shell/main.ts';

// einhornsh-node: the Einhorn shell. SIGINT leaves with status 0 at any point, as in einhornsh.
const interrupted = new AbortController();
const interactive = process.stdin.isTTY;
const onInterrupt = (): void => {
  if (interrupted.signal.aborted) return;
  if (interactive) process.stderr.write('\n');
  interrupted.abort();
};
process.on('SIGINT', onInterrupt);

void runEinhornsh(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupted.signal,
  onInterrupt,
})
  .catch((error: unknown) => {
    process.stderr.write(
      `einhornsh-node: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  })
  .then((status) => {
    process.exitCode = status;
    process.stdin.pause();
    // Whatever still holds the event loop (a half-read stdin pipe) must not keep the shell alive.
    setTimeout(() => process.exit(status), 1_000).unref();
  });
