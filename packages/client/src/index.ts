/**
 * A typed client for the Einhorn command socket, for einhorn (Ruby) and einhorn-node masters,
 * and the `einhornsh-node` shell built on it.
 *
 * @module
 */
export { connectEinhorn, defaultSocketPath } from './client/index.ts';
export type { EinhornClient, EinhornClientOptions, RequestOptions } from './client/index.ts';
