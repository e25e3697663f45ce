// Headless Chromium (Debian's `chromium` package) for looking at the generated site: a
// screenshot and the DOM after the page's scripts ran.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The first Chromium on PATH that runs, if any. */
export function findChromium(): string | undefined {
  return CANDIDATES.find(
    (name) => spawnSync(name, ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0,
  );
}

/**
 * The flags every run uses: no sandbox (containers, root), no GPU, no network side traffic, a
 * throw-away profile. `--virtual-time-budget` lets the page's scripts and timers run before the
 * capture: typedoc hides the body until its script shows it (up to 500 ms after load), so a
 * capture at the load event is a blank page.
 */
function flags(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--window-size=1280,900',
    '--virtual-time-budget=5000',
    '--run-all-compositor-stages-before-draw',
    '--hide-scrollbars',
  ];
}

function runChromium(
  binary: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'einhorn-docs-chromium-'));
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...flags(profile), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

/** Screenshots `page` (a local HTML or SVG file) into `png`; resolves with Chromium's stderr. */
export async function screenshot(binary: string, page: string, png: string): Promise<string> {
  const result = await runChromium(binary, [`--screenshot=${png}`, pathToFileURL(page).href]);
  return result.stderr;
}

/** The serialised DOM of `page` after its scripts ran. */
export async function dumpDom(binary: string, page: string): Promise<string> {
  const result = await runChromium(binary, ['--dump-dom', pathToFileURL(page).href]);
  return result.stdout;
}
