import type { CommandContext } from './context.ts';

/** einhorn's `set_workers` bound: [1, 1000] (1000 is accepted, despite the message). */
export const MAX_WORKERS = 1000;

/** `inc` (command.rb:165-172). */
export function increment(context: CommandContext): string {
  const old = context.state.config.target;
  context.setTarget(old + 1);
  const message = `Incrementing number of workers from ${old} -> ${old + 1}`;
  context.log.info(message);
  return message;
}

function belowMinimum(context: CommandContext, current: number): string {
  if (context.minWorkers <= 1) {
    return `Can't decrease number of workers (already at ${current}).  Run kill ${context.pid} if you really want to kill einhorn.`;
  }
  return `Can't decrease number of workers below the ${context.minWorkers} reuseport slots (already at ${current}); connections hashed to an unserved slot would wait.`;
}

/** `dec` (command.rb:174-187); never below 1 (or the reuseport slot count). */
export function decrement(context: CommandContext): string {
  const old = context.state.config.target;
  if (old <= context.minWorkers) {
    const message = belowMinimum(context, old);
    context.log.info(message);
    return message;
  }
  context.setTarget(old - 1);
  const message = `Decrementing number of workers from ${old} -> ${old - 1}`;
  context.log.info(message);
  return message;
}

/**
 * `set_workers` (interface.rb:342-355). Unlike Ruby's lenient `to_i` ("3abc" → 3), the count must
 * be a plain decimal integer.
 */
export function setWorkers(context: CommandContext, args: readonly string[]): string {
  const arg = args[0] ?? '';
  const count = /^\s*\+?\d+\s*$/.test(arg) ? Number(arg) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_WORKERS) {
    return `Invalid count: '${arg}'. Must be an integer in [1,1000).`;
  }
  const old = context.state.config.target;
  if (count === old) return '';
  if (count < context.minWorkers) return belowMinimum(context, old);
  context.setTarget(count);
  const message = `Altering worker count, ${old} -> ${count}. Will ${old < count ? 'spin up additional workers.' : 'gracefully terminate workers.'}`;
  context.log.info(message);
  return message;
}
