// Promise versions of the few file-system calls the master makes, over node:fs callbacks.
// node:fs/promises is avoided on purpose: it loads readline and the REPL history module, about
// 1 MiB of RSS in a process that has a 50 MiB budget (benchmark B9).
import * as fs from 'node:fs';
import type { Stats } from 'node:fs';

type Done<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(run: (done: Done<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((error, value) => {
      if (error) reject(error);
      else resolve(value);
    });
  });
}

const withoutValue =
  (done: Done<undefined>) =>
  (error: NodeJS.ErrnoException | null): void => {
    done(error, undefined);
  };

export const stat = (path: string): Promise<Stats> =>
  call((done) => {
    fs.stat(path, done);
  });

export const lstat = (path: string): Promise<Stats> =>
  call((done) => {
    fs.lstat(path, done);
  });

export const unlink = (path: string): Promise<undefined> =>
  call((done) => {
    fs.unlink(path, withoutValue(done));
  });

export const chmod = (path: string, mode: number): Promise<undefined> =>
  call((done) => {
    fs.chmod(path, mode, withoutValue(done));
  });

export const access = (path: string, mode: number): Promise<undefined> =>
  call((done) => {
    fs.access(path, mode, withoutValue(done));
  });

export const readTextFile = (path: string): Promise<string> =>
  call((done) => {
    fs.readFile(path, 'utf8', done);
  });

export const writeTextFile = (path: string, text: string, mode: number): Promise<undefined> =>
  call((done) => {
    fs.writeFile(path, text, { mode }, withoutValue(done));
  });

/** Opens `path` and resolves to the file descriptor. */
export const openFile = (path: string, flags: string, mode: number): Promise<number> =>
  call((done) => {
    fs.open(path, flags, mode, done);
  });

export const closeFile = (fd: number): Promise<undefined> =>
  call((done) => {
    fs.close(fd, withoutValue(done));
  });
