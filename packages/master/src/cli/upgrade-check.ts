import { writeSync } from 'node:fs';

/**
 * `einhorn-node --upgrade-check`: the pre-flight a master runs before each upgrade (einhorn's
 * `can_safely_reload?`). Reaching this point proves the re-exec command line starts einhorn-node.
 * @returns The exit status: 0.
 */
export function runUpgradeCheckMode(log: (message: string) => void): number {
  log(`Running under Node ${process.version}`);
  return 0;
}

/**
 * `einhorn-node --with-state-fd FD`: the step that stands in for einhorn's re-exec. The master
 * keeps its own image (Node cannot keep the listening sockets across `execve`), so the process
 * its re-exec command line starts only writes the environment it got, as JSON, to FD and exits;
 * the master gives that environment to the next generation of workers.
 * @returns The exit status: 0, or 1 when FD is not a descriptor number or cannot be written.
 */
export function runStateFdMode(
  fdText: string,
  env: NodeJS.ProcessEnv,
  log: (message: string) => void,
): number {
  const fd = Number(fdText);
  if (!/^\d+$/.test(fdText) || fd < 3) {
    log(`--with-state-fd expects a descriptor number of 3 or more, got ${JSON.stringify(fdText)}`);
    return 1;
  }
  const report: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) report[name] = value;
  const data = Buffer.from(JSON.stringify(report));
  try {
    for (let offset = 0; offset < data.length;)
      offset += writeSync(fd, data, offset, data.length - offset);
  } catch (error) {
    log(`Could not report the environment on fd ${fd}: ${String(error)}`);
    return 1;
  }
  return 0;
}
