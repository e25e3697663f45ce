// Removes the previous run's vitest JSON reports so the closing summary counts only this run, and
// records when this run started so that the summary can print its duration.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const dir = new URL('../.test-results/', import.meta.url);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('started-at.txt', dir), `${Date.now()}\n`);
