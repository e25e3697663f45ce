// The master's clock. It avoids the `performance` global on purpose: touching it loads
// perf_hooks, about 0.5 MiB of RSS in a process that has a 50 MiB budget (benchmark B9).

let wallOrigin: number | undefined;

/** Monotonic milliseconds (sub-millisecond precision) from an arbitrary origin. */
export function monoNow(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}

/** The wall-clock instant (epoch milliseconds) of a {@link monoNow} reading. */
export function wallFromMono(mono: number): number {
  wallOrigin ??= Date.now() - monoNow();
  return wallOrigin + mono;
}
