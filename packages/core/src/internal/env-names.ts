/** Names of the variables Einhorn sets in every worker (docs/reference/protocol.md, "Worker environment"). */
export const ENV = {
  FD_COUNT: 'EINHORN_FD_COUNT',
  FDS: 'EINHORN_FDS',
  SOCK_PATH: 'EINHORN_SOCK_PATH',
  SOCK_FD: 'EINHORN_SOCK_FD',
  MASTER_PID: 'EINHORN_MASTER_PID',
  CHILD_INDEX: 'EINHORN_CHILD_INDEX',
} as const;

/** The prefix shared by every Einhorn variable, including stale `EINHORN_FD_<i>` ones. */
export const ENV_PREFIX = 'EINHORN_';

/** Largest `EINHORN_FD_COUNT` accepted; anything above is treated as corrupt rather than looped over. */
export const MAX_FD_COUNT = 4096;

/** Largest fd, pid or index accepted (a C `int`). */
export const MAX_INT32 = 2_147_483_647;
