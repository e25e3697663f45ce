// Preloaded with `--import` in B10's ESM trace runs: registers trace-hooks.mjs (a `node:module`
// resolve hook, Node ≥ 20.6) and exposes `drain()`, which returns every URL resolved since the last
// drain. The hook posts each URL before its resolution completes, so once an import() has settled
// all of its URLs are already queued on the port: draining needs no wait.
import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
register('./trace-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

globalThis[Symbol.for('einhorn.bench.trace')] = {
  drain() {
    const urls = [];
    for (let message; (message = receiveMessageOnPort(port1));) urls.push(message.message);
    return urls;
  },
};
