// TypeScript ESM (module: nodenext): a plain http.Server served by @einhorn/net.
import { createServer } from 'node:http';
import { serve } from '@einhorn/net';
import { isEinhornError } from '@einhorn/core';

const server = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ pid: process.pid, app: 'http-esm' }));
});
try {
  const handle = await serve(server);
  process.stderr.write(`http-esm: serving on child index ${handle.context?.childIndex ?? '?'}\n`);
} catch (error) {
  process.stderr.write(isEinhornError(error) ? `${error.code}: ${error.message}\n` : `${error}\n`);
  process.exit(1);
}
