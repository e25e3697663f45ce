/**
 * einhorn's default file locations, shared by the master and the command client: the command
 * socket, pidfile and lockfile in Ruby's `Dir.tmpdir`. Uses only Node built-ins.
 *
 * @module
 */
export { defaultPaths } from './paths/default-paths.ts';
export type { DefaultPaths, DefaultPathsOptions } from './paths/default-paths.ts';
export { fileSystemProbe, rubyTmpdir } from './paths/tmpdir.ts';
export type { DirectoryProbe } from './paths/tmpdir.ts';
