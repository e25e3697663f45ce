import { OptionsValidator } from '@einhorn/core';

export { OptionsValidator };

/** Validates the options every worker-identity check accepts (`ContextOptions`). */
export function checkContextOptions(v: OptionsValidator): void {
  v.object('env');
  v.integer('ppid', 0);
  v.boolean('verifyParent');
  v.boolean('legacyFds');
  v.boolean('systemd');
}
