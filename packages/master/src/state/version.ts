/** This package's version, shown by `ehlo`, `--version` and upgrade logs (checked against package.json by a test). */
export const EINHORN_NODE_VERSION = '0.1.0';
