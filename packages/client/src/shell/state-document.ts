import { decodeRubyYaml } from '@einhorn/core/yaml';

/**
 * Decodes the message of a `state` reply into plain data, whichever master wrote it:
 *
 * - einhorn (Ruby) and einhorn-node by default: a Psych YAML document with Symbol keys
 *   (`:state:`), Integer pid keys, `!ruby/object:Set` and Time values, read safely by
 *   `decodeRubyYaml` (Symbols become names, Sets arrays, Times ISO strings; no tag is evaluated);
 * - einhorn-node asked for JSON (`format: 'json'`), and older einhorn-node versions: JSON.
 *
 * @param message - The reply's message.
 * @returns The decoded document, or undefined when it is neither (e.g. an error text).
 */
export function decodeStateDocument(message: string): unknown {
  const text = message.trimStart();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(message) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!text.startsWith('---') && !text.startsWith(':')) return undefined;
  try {
    return decodeRubyYaml(message);
  } catch {
    return undefined;
  }
}
