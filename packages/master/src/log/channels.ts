import { channel } from 'node:diagnostics_channel';
import type { UpgradeResult, WorkerExit, WorkerInfo } from '../types.ts';

/** diagnostics_channel names the master publishes on (subscribe with `diagnostics_channel.subscribe`). */
export const MASTER_CHANNELS = {
  workerSpawn: 'einhorn:master:worker-spawn',
  workerAck: 'einhorn:master:worker-ack',
  workerExit: 'einhorn:master:worker-exit',
  upgradeDone: 'einhorn:master:upgrade-done',
  /** A `-b` socket is bound and LISTEN: `{ bind, port, at }`, `at` the instant listen() returned (epoch ms). */
  listening: 'einhorn:master:listening',
} as const;

/** Publishes one message if anyone subscribed (cheap otherwise). */
function publish(name: string, message: object): void {
  const target = channel(name);
  if (target.hasSubscribers) target.publish(message);
}

export const publishSpawn = (worker: WorkerInfo): void => {
  publish(MASTER_CHANNELS.workerSpawn, { worker });
};
export const publishAck = (worker: WorkerInfo): void => {
  publish(MASTER_CHANNELS.workerAck, { worker });
};
export const publishExit = (worker: WorkerInfo, exit: WorkerExit): void => {
  publish(MASTER_CHANNELS.workerExit, { worker, exit });
};
export const publishListening = (bind: string, port: number, at: number): void => {
  publish(MASTER_CHANNELS.listening, { bind, port, at });
};
export const publishUpgrade = (result: UpgradeResult): void => {
  publish(MASTER_CHANNELS.upgradeDone, { result });
};
