// A deploy step: upgrade the workers of one master and fail unless the upgrade completed.
//   node deploy-upgrade.js /run/myapp/einhorn.sock [smooth|fleet]
// Works against einhorn-node and the Ruby einhorn. Exit status: 0 when every new worker ACKed
// ("Upgrade done"), 1 otherwise (e.g. "Upgrade failed: ..." after the new code kept crashing).
import { connectEinhorn } from '@einhorn/client';

const [socketPath, mode = 'smooth'] = process.argv.slice(2);
if (socketPath === undefined || (mode !== 'smooth' && mode !== 'fleet')) {
  process.stderr.write('usage: deploy-upgrade SOCKET_PATH [smooth|fleet]\n');
  process.exit(2);
}

try {
  const client = await connectEinhorn({ path: socketPath });
  try {
    const replies = await client.request(mode === 'fleet' ? 'upgrade_fleet' : 'upgrade', [], {
      timeoutMs: 120_000, // per reply; every streamed progress line restarts the clock
      onMessage: (reply) => {
        process.stdout.write(`${reply.message}\n`);
      },
    });
    const last = replies.at(-1)?.message;
    // "Upgrade done" means the new version serves; old workers may still be draining (P23).
    process.exitCode = last === 'Upgrade done' ? 0 : 1;
  } finally {
    await client.close();
  }
} catch (error) {
  // EinhornClientError [ERR_EINHORN_CLIENT_CONNECT] (no master), …_TIMEOUT, …_CLOSED
  process.stderr.write(`upgrade failed: ${String(error)}\n`);
  process.exitCode = 1;
}
