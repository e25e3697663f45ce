// A bare framework server on a TCP port: the single-process topology, every Node cluster worker
// (cluster shares the port through the primary), and the per-worker `reusePort` topology.
// `--announce` prints one line when listening (the "plain startup" of B6).
import { buildServer } from '../apps/index.mjs';
import { fail, parseArgs } from './args.mjs';
import { instrument } from './instrument.mjs';

const args = parseArgs();
try {
  const server = await buildServer(args.framework);
  const stats = instrument(server);
  const options = { host: '127.0.0.1', port: Number(args.port ?? 0) };
  if (args['reuse-port']) options.reusePort = true;
  server.listen(options, () => {
    stats.set('ready', true);
    if (args.announce) process.stdout.write(`listening ${server.address().port}\n`);
  });
  server.on('error', fail);
} catch (error) {
  fail(error);
}
