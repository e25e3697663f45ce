// Removes the previous run's vitest JSON reports so the closing summary counts only this run.
import { rmSync } from 'node:fs';
rmSync(new URL('../.test-results', import.meta.url), { recursive: true, force: true });
