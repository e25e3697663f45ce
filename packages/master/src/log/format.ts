import type { MasterLogEntry } from '../types.ts';

/** How the CLI writes log lines to stderr. */
export type LogFormat = 'text' | 'json';

/** einhorn's shape: `[MASTER 1234] INFO: message`. */
export function formatTextLog(entry: MasterLogEntry, pid: number): string {
  return `[MASTER ${pid}] ${entry.level.toUpperCase()}: ${entry.message}\n`;
}

/** One JSON object per line, for log shippers. */
export function formatJsonLog(entry: MasterLogEntry, pid: number): string {
  const record: Record<string, string | number> = {
    time: entry.time.toISOString(),
    level: entry.level,
    pid,
    role: 'master',
    msg: entry.message,
  };
  if (entry.tag) record['tag'] = entry.tag;
  return `${JSON.stringify(record)}\n`;
}

/** Picks the formatter for a format name. */
export function logFormatter(format: LogFormat): (entry: MasterLogEntry, pid: number) => string {
  return format === 'json' ? formatJsonLog : formatTextLog;
}
