export { connectEinhorn } from './connect.ts';
export { defaultSocketPath } from './socket-path.ts';
export type { EinhornClient, EinhornClientOptions, RequestOptions } from './types.ts';
