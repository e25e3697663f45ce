// Reads the commands out of docs/deploy: the systemd units' Exec lines, the Dockerfile's CMD and
// HEALTHCHECK, and the Kubernetes container's args and probes, so that tests run exactly what
// the files say (with host paths swapped for temporary ones).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEPLOY } from './repo.ts';

/** The text of a file in docs/deploy. */
export function deployFile(name: string): string {
  return readFileSync(join(DEPLOY, name), 'utf8');
}

/** Logical lines: backslash-newline continuations joined, comments dropped. */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line));
}

/** The value of the first `Key=` line of a systemd unit. */
export function unitDirective(unit: string, key: string): string {
  const line = logicalLines(unit).find((candidate) => candidate.startsWith(`${key}=`));
  if (line === undefined) throw new Error(`no ${key}= in the unit`);
  return line.slice(key.length + 1).trim();
}

/** Splits a command line into words: whitespace separates, single and double quotes group. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unbalanced quote in: ${line}`);
  if (inWord) words.push(current);
  return words;
}

/** The arguments of a Dockerfile instruction (`CMD`, `HEALTHCHECK`, …), continuations joined. */
export function dockerInstruction(dockerfile: string, name: string): string {
  const line = logicalLines(dockerfile).find((candidate) => candidate.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in the Dockerfile`);
  return line.slice(name.length + 1).trim();
}

/** The shell command of the Dockerfile's `HEALTHCHECK … CMD <command>` (shell form). */
export function dockerHealthcheck(dockerfile: string): string {
  const instruction = dockerInstruction(dockerfile, 'HEALTHCHECK');
  const at = instruction.indexOf(' CMD ');
  if (at < 0) throw new Error('HEALTHCHECK has no CMD');
  return instruction.slice(at + ' CMD '.length).trim();
}

/** The exec-form `CMD [...]` of the Dockerfile. */
export function dockerCmd(dockerfile: string): string[] {
  return JSON.parse(dockerInstruction(dockerfile, 'CMD')) as string[];
}

/** The parts of the Kubernetes container the tests use. */
export interface KubernetesContainer {
  readonly args: readonly string[];
  readonly readiness: readonly string[];
  readonly liveness: readonly string[];
  readonly preStop: readonly string[];
  readonly terminationGracePeriodSeconds: number;
}

interface ContainerDoc {
  readonly args: string[];
  readonly readinessProbe: { readonly exec: { readonly command: string[] } };
  readonly livenessProbe: { readonly exec: { readonly command: string[] } };
  readonly lifecycle: { readonly preStop: { readonly exec: { readonly command: string[] } } };
}

interface DeploymentDoc {
  readonly kind: string;
  readonly spec: {
    readonly template: {
      readonly spec: {
        readonly terminationGracePeriodSeconds: number;
        readonly containers: ContainerDoc[];
      };
    };
  };
}

/** The first container of the Deployment in docs/deploy/kubernetes.yaml (every document must parse). */
export function kubernetesContainer(): KubernetesContainer {
  const documents = parseAllDocuments(deployFile('kubernetes.yaml'));
  if (!Array.isArray(documents)) throw new Error('kubernetes.yaml is empty');
  for (const document of documents) {
    if (document.errors.length > 0)
      throw new Error(`kubernetes.yaml: ${String(document.errors[0])}`);
  }
  const deployment = documents
    .map((document) => document.toJS() as DeploymentDoc)
    .find((value) => value.kind === 'Deployment');
  const pod = deployment?.spec.template.spec;
  const container = pod?.containers[0];
  if (pod === undefined || container === undefined) throw new Error('no Deployment container');
  return {
    args: container.args,
    readiness: container.readinessProbe.exec.command,
    liveness: container.livenessProbe.exec.command,
    preStop: container.lifecycle.preStop.exec.command,
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds,
  };
}

/** Replaces every occurrence of each key of `map` in `text`. */
export function substitute(text: string, map: Readonly<Record<string, string>>): string {
  let result = text;
  for (const [from, to] of Object.entries(map)) result = result.split(from).join(to);
  return result;
}
