// Facts about the machine and the run that every figure depends on.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

function tryRun(command, args) {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    return (error.stdout ?? '').trim() || undefined;
  }
}

const sysctl = (name) => {
  try {
    return readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim();
  } catch {
    return undefined;
  }
};

const PACKAGES = ['core', 'worker', 'net', 'express', 'fastify', 'master'];

/** When each package's measured `dist/index.js` was built (the benchmark runs the built code). */
function distBuildTimes() {
  return Object.fromEntries(
    PACKAGES.map((name) => {
      const file = fileURLToPath(
        new URL(`../../../packages/${name}/dist/index.js`, import.meta.url),
      );
      try {
        return [name, statSync(file).mtime.toISOString()];
      } catch {
        return [name, null];
      }
    }),
  );
}

/** Version of the Node binary `node` (the one that runs every server). */
export function nodeVersionOf(node) {
  return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}

export function describeEnvironment({ node, nodeVersion }) {
  const cpus = os.cpus();
  return {
    serverNode: { path: node, version: nodeVersion },
    harnessNode: { path: process.execPath, version: process.versions.node },
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ? process.env.NODE_EXTRA_CA_CERTS : null,
    cpuModel: cpus[0]?.model ?? 'unknown',
    vcpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    kernel: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg(),
    wrk:
      tryRun(process.env.BENCH_WRK ?? 'wrk', ['-v'])
        ?.split('\n')[0]
        .replace(/ Copyright.*/, '') ?? 'missing',
    distBuiltAt: distBuildTimes(),
    sysctl: {
      'net.ipv4.tcp_migrate_req': sysctl('net.ipv4.tcp_migrate_req'),
      'net.core.somaxconn': sysctl('net.core.somaxconn'),
      'net.ipv4.tcp_tw_reuse': sysctl('net.ipv4.tcp_tw_reuse'),
    },
  };
}
