// CPU time and memory of a pid from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  ticksPerSecond ??=
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of `pid` in seconds, or undefined when it is gone. */
export function cpuSeconds(pid) {
  const fields = statFields(pid);
  if (fields === undefined) return undefined;
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** Whether `pid` exists and is not a zombie. */
export function isAlive(pid) {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}

/** Resident set size of `pid` in bytes, or undefined. */
export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Sum of `cpuSeconds` per pid, keyed by pid (gone pids are left out). */
export function cpuSnapshot(pids) {
  const snapshot = new Map();
  for (const pid of pids) {
    const seconds = cpuSeconds(pid);
    if (seconds !== undefined) snapshot.set(pid, seconds);
  }
  return snapshot;
}

/** CPU seconds used between two snapshots by the pids present in both. */
export function cpuDelta(before, after, pids = [...after.keys()]) {
  let total = 0;
  for (const pid of pids) {
    if (before.has(pid) && after.has(pid)) total += after.get(pid) - before.get(pid);
  }
  return total;
}
