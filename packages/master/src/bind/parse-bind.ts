import { isIP } from 'node:net';
import { EinhornMasterError } from '@einhorn/core';
import type { BindSpec } from '../types.ts';

/** A validated `-b` address. */
export type BindAddress =
  | {
      readonly kind: 'tcp';
      /** As given, for messages. */
      readonly spec: string;
      /** Host name or IP literal, IPv6 without brackets. */
      readonly host: string;
      readonly port: number;
      /** One SO_REUSEPORT socket per worker slot. */
      readonly reusePort: boolean;
      /** The flags as given, lowercased (einhorn's `bind` entry shows them in `state`). */
      readonly flags: readonly string[];
    }
  | { readonly kind: 'unix'; readonly spec: string; readonly path: string };

const TCP_FORM = /^(?:\[(?<v6>[^\]]+)\]|(?<host>[^:[\]]+)):(?<port>\d+)(?<flags>(?:,[^,]*)*)$/;
const KNOWN_FLAGS = new Set(['r', 'so_reuseaddr', 'n', 'o_nonblock', 'reuseport', 'so_reuseport']);

function invalid(spec: string, why: string): EinhornMasterError {
  return new EinhornMasterError(
    'ERR_EINHORN_BIND_INVALID',
    `Invalid value for "${spec}": ${why}.`,
    { details: { spec } },
  );
}

function isUnixPath(spec: string): boolean {
  return (
    spec.startsWith('/') ||
    spec.startsWith('./') ||
    spec.startsWith('../') ||
    spec.startsWith('unix:')
  );
}

function parseUnix(spec: string): BindAddress {
  const path = spec.startsWith('unix:') ? spec.slice('unix:'.length) : spec;
  if (path === '') throw invalid(spec, 'a UNIX socket path must not be empty');
  if (Buffer.byteLength(path) > 107)
    throw invalid(spec, 'a UNIX socket path is limited to 107 bytes');
  return { kind: 'unix', spec, path };
}

/**
 * Parses one `-b` value: `HOST:PORT[,FLAG...]` like einhorn (flags `r`/`so_reuseaddr`,
 * `n`/`o_nonblock`, lowercased, empty ones dropped), plus `[IPV6]:PORT`, UNIX paths and the
 * `reuseport` flag. Unlike einhorn, unknown flags and ports above 65535 are refused.
 * @throws EinhornMasterError ERR_EINHORN_BIND_INVALID
 */
export function parseBindString(spec: string): BindAddress {
  if (isUnixPath(spec)) return parseUnix(spec);
  const groups = TCP_FORM.exec(spec)?.groups;
  if (!groups) {
    throw invalid(
      spec,
      'bind address must be of the form address:port[,flags...], [ipv6]:port[,flags...] or a UNIX socket path starting with / or ./',
    );
  }
  const host = groups['v6'] ?? groups['host'] ?? '';
  if (groups['v6'] !== undefined && isIP(host) !== 6)
    throw invalid(spec, `"${host}" inside brackets is not an IPv6 address`);
  const port = Number(groups['port']);
  if (port > 65535) throw invalid(spec, `port ${port} is above 65535`);
  const flags = (groups['flags'] ?? '')
    .split(',')
    .map((flag) => flag.trim().toLowerCase())
    .filter((flag) => flag !== '');
  const unknown = flags.filter((flag) => !KNOWN_FLAGS.has(flag));
  if (unknown.length > 0) {
    throw invalid(
      spec,
      `unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')} (known: r, n, reuseport)`,
    );
  }
  const reusePort = flags.includes('reuseport') || flags.includes('so_reuseport');
  return { kind: 'tcp', spec, host, port, reusePort, flags };
}

/**
 * Validates a {@link BindSpec} of the programmatic API.
 * @throws EinhornMasterError ERR_EINHORN_BIND_INVALID
 */
export function parseBindSpec(spec: BindSpec): BindAddress {
  if (typeof spec === 'string') return parseBindString(spec);
  if ('path' in spec)
    return parseUnix(spec.path.startsWith('unix:') ? spec.path : `unix:${spec.path}`);
  const text = `${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port}`;
  if (!Number.isInteger(spec.port) || spec.port < 0 || spec.port > 65535) {
    throw invalid(text, `port must be an integer in [0, 65535], found ${spec.port}`);
  }
  if (spec.host === '') throw invalid(text, 'host must not be empty');
  return {
    kind: 'tcp',
    spec: text,
    host: spec.host,
    port: spec.port,
    reusePort: spec.reusePort === true,
    flags: [
      ...(spec.reuseAddr === true ? ['r'] : []),
      ...(spec.reusePort === true ? ['reuseport'] : []),
    ],
  };
}
