// The few file-system calls the master makes (pidfile, lockfile, socket files, PATH lookups), as
// promises settled by the synchronous calls. They touch small local files, mostly at start-up and
// shutdown, as einhorn's own calls do. The callback versions would start libuv's thread pool
// (4 threads, ~0.3 MiB of RSS), and node:fs/promises also loads readline and the REPL history
// module (~1 MiB), in a process that has a 50 MiB budget (benchmark B9).
import * as fs from 'node:fs';
import type { Stats } from 'node:fs';

function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export const stat = (path: string): Promise<Stats> => settled(() => fs.statSync(path));

export const lstat = (path: string): Promise<Stats> => settled(() => fs.lstatSync(path));

export const unlink = (path: string): Promise<void> =>
  settled(() => {
    fs.unlinkSync(path);
  });

export const chmod = (path: string, mode: number): Promise<void> =>
  settled(() => {
    fs.chmodSync(path, mode);
  });

export const access = (path: string, mode: number): Promise<void> =>
  settled(() => {
    fs.accessSync(path, mode);
  });

export const readTextFile = (path: string): Promise<string> =>
  settled(() => fs.readFileSync(path, 'utf8'));

export const writeTextFile = (path: string, text: string, mode: number): Promise<void> =>
  settled(() => {
    fs.writeFileSync(path, text, { mode });
  });

/** Opens `path` and resolves to the file descriptor. */
export const openFile = (path: string, flags: string, mode: number): Promise<number> =>
  settled(() => fs.openSync(path, flags, mode));

export const closeFile = (fd: number): Promise<void> =>
  settled(() => {
    fs.closeSync(fd);
  });
