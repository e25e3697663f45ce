import { EINHORN_NODE_VERSION } from '../state/version.ts';

/** `einhorn-node --help`. */
export function usage(): string {
  return `## Usage

einhorn-node [options] [--] PROGRAM [ARGS...]

With no PROGRAM, this usage is printed and the exit status is 1 (as einhorn).

einhorn-node ${EINHORN_NODE_VERSION}: an Einhorn master in Node.js. It binds the listening sockets once,
holds them without ever accepting, spawns PROGRAM N times with einhorn's EINHORN_* environment,
and upgrades workers without dropping connections. Options must come before PROGRAM.

Einhorn options:
  -b, --bind ADDR              Listen on ADDR: HOST:PORT[,r][,n], [IPV6]:PORT, or a UNIX socket path
                               (/path, ./path, unix:PATH). Repeatable; order = EINHORN_FD_0, _1, ...
                               Flag "reuseport": one SO_REUSEPORT socket per worker slot (Node >= 22.12)
                               Under systemd socket activation (LISTEN_PID/LISTEN_FDS) the passed
                               sockets are adopted instead: one per -b in order, or all without -b
  -c, --command-name NAME      Name shown by ehlo; default files become einhorn-NAME.{sock,pid,lock}
  -d, --socket-path PATH       Command socket (default $TMPDIR/einhorn[-NAME].sock)
  -e, --pidfile PATH           Pidfile (default $TMPDIR/einhorn[-NAME].pid)
  -f, --lockfile PATH          Lockfile (default $TMPDIR/einhorn[-NAME].lock)
  -g, --command-socket-as-fd   Give each worker a live command-socket connection as EINHORN_SOCK_FD
  -k, --kill-children-on-exit  Workers get the graceful signal when the master dies, even by SIGKILL
                               (a reaper process, plus the kernel parent-death signal through
                               util-linux setpriv --pdeathsig where it works)
  -l, --backlog N              listen() backlog (default 100)
  -m, --ack-mode MODE          "manual" or SECONDS a worker must live to count as up (default 1)
  -n, --number N               Number of workers (default 1)
  -q, --quiet / -v, --verbose  Less / more logging (repeatable)
  -s, --seconds N              Minimum seconds between spawns; backoff base (default 1)
  -t, --signal-timeout T       SIGKILL workers still alive T seconds after a graceful signal
      --max-unacked N          At most N unACKed new workers at once (default: CPU count)
      --max-upgrade-additional N  Live workers never exceed -n plus N during a smooth upgrade
      --drop-env-var VAR       Remove VAR from the environment restored on upgrade (repeatable); the
                               first workers still have it, workers started by an upgrade do not
      --reexec-as CMDLINE      Command line that would re-exec einhorn-node (shell-split; default: this
                               one). Each upgrade first runs CMDLINE --upgrade-check and is aborted if
                               that fails; new workers get the environment CMDLINE sets (e.g. "env
                               VAR=b einhorn-node"). The master process itself is never replaced
      --upgrade-check          Exit 0 at once (the pre-flight each upgrade runs)
  -p, --preload PATH           Accepted with a warning: Ruby preloading; workers are always exec'd
      --version                Print the version and exit
  -h, --help                   Print this help and exit 1 (as einhorn)

einhorn-node options:
      --ack-timeout SECONDS    In manual mode, kill a new worker that has not ACKed after SECONDS and
                               count it as a failed start (default 0 = wait forever, like einhorn)
      --graceful-signal SIG    Signal that asks workers to finish and exit (default USR2)
      --ping-timeout SECONDS   SIGKILL a worker whose last worker:ping is older (only workers that ping)
      --max-failed-starts N    Stop spawning a version after N deaths before ACK in a row if none of its
                               workers ever ACKed; "upgrade" retries (default 10, 0 = never stop)
      --log-format text|json   Log lines as "[MASTER pid] LEVEL: msg" (default) or JSON

Signals: INT/USR2 graceful stop, TERM stop with TERM, QUIT stop without waiting (exit 1),
HUP smooth upgrade, TTIN/TTOU one worker more/less, USR1 ignored.
Admin: einhornsh-node -d SOCKET (commands: inc, dec, set_workers, upgrade, upgrade_fleet, state, ...).
`;
}
