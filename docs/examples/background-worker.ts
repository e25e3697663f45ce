// A worker with no listening socket (run the master without -b): it pulls jobs, ACKs once it
// is running, and on SIGUSR2 finishes the job in hand, takes no new one, and exits 0.
import { setTimeout as sleep } from 'node:timers/promises';
import { ack, onGracefulShutdown } from '@einhorn/worker';

interface Job {
  readonly id: number;
}

let lastId = 0;
async function takeJob(signal: AbortSignal): Promise<Job> {
  await sleep(100, undefined, { signal }); // stands in for a blocking queue read
  return { id: ++lastId };
}
async function runJob(job: Job, signal: AbortSignal): Promise<void> {
  await sleep(200, undefined, { signal }); // stands in for the real work
  process.stderr.write(`job ${job.id} done\n`);
}

const stopTaking = new AbortController(); // SIGUSR2: take no new job
const abandon = new AbortController(); // the drain deadline: drop the job in hand

async function work(): Promise<void> {
  while (!stopTaking.signal.aborted) {
    const job = await takeJob(stopTaking.signal).catch(() => undefined);
    if (job === undefined) return; // the wait for a job was interrupted by SIGUSR2
    try {
      await runJob(job, abandon.signal);
    } catch (error) {
      process.stderr.write(`job ${job.id} failed: ${String(error)}\n`);
    }
  }
}

// Installed before the ACK. At the deadline abortSignal fires, the job in hand is abandoned,
// and the worker exits with exitCodes.timedOut (3) instead of 0.
onGracefulShutdown(
  async ({ abortSignal }) => {
    stopTaking.abort();
    abortSignal.addEventListener(
      'abort',
      () => {
        abandon.abort(abortSignal.reason);
      },
      { once: true },
    );
    await working;
  },
  { timeoutMs: 15_000 },
);

const working = work();
await ack(); // the loop runs: count this worker as up
process.stderr.write(`background worker ${process.pid} acked\n`);
