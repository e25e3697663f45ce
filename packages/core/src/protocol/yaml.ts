import type { Document, Node, Pair } from 'yaml';
import { loadYaml, type YamlLibrary } from './load-yaml.ts';
import { resolvePlainScalar, UnresolvableScalarError } from './psych-scalar.ts';
import { rubyPlainScalar, rubySetMembers } from './ruby-values.ts';
import { applyMergeKey, setKey, type PlainObject } from './yaml-objects.ts';

/** Dereferences allowed per document; enough for hand-written YAML, fatal for alias bombs. */
export const MAX_ALIAS_COUNT = 100;
/** Values an alias may expand into, in total per document. */
const MAX_ALIAS_EXPANSION = 10_000;
/** Nesting depth of collections; protects the recursive conversion from stack exhaustion. */
const MAX_DEPTH = 256;

/** Why a body is not acceptable YAML; the codec turns it into `ERR_EINHORN_PROTOCOL_DECODE`. */
export class YamlRejectedError extends Error {}

/** The only explicit tag accepted: Psych itself writes `!!str '<<'` and `!!str` is plain data. */
const STR_TAG = 'tag:yaml.org,2002:str';
/** How Psych writes a Ruby `Set` (einhorn's `signaled`): a mapping whose `hash` maps each member to true. */
const RUBY_SET_TAG = '!ruby/object:Set';

// libyaml's reader refuses these raw characters (its "control characters are not allowed").
const NON_PRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;
// A lone surrogate cannot be written as UTF-8, and Psych rejects it; in `u` mode this class only matches lone ones.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

interface Walk {
  readonly doc: Document;
  /** Read einhorn's `state` vocabulary: Symbols, `Set`s and `Time`s (see {@link parseRubyYamlData}). */
  readonly ruby: boolean;
  readonly open: Set<Node>;
  aliases: number;
  expanded: number;
}

/** Where the converter is: nesting depth, and whether the node was reached through an alias. */
interface At {
  readonly depth: number;
  readonly viaAlias: boolean;
}

function checkString(text: string): string {
  if (LONE_SURROGATE.test(text))
    throw new YamlRejectedError('a string contains an unpaired UTF-16 surrogate');
  return text;
}

function keyText(walk: Walk, node: Node | null, at: At): string {
  const { isAlias, isScalar } = loadYaml();
  if (node !== null && !isScalar(node) && !isAlias(node))
    throw new YamlRejectedError('a mapping key is a collection');
  const key = node === null ? null : convert(walk, node, at);
  if (key === null) return '';
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  throw new YamlRejectedError('a mapping key is a collection');
}

function convertPairs(walk: Walk, pairs: readonly Pair[], at: At): PlainObject {
  const target: PlainObject = {};
  for (const pair of pairs) {
    const keyNode = pair.key as Node | null;
    const valueNode = pair.value as Node | null;
    const key = keyText(walk, keyNode, { depth: at.depth, viaAlias: false });
    const value = valueNode === null ? null : convert(walk, valueNode, at);
    // As in Psych, `<<` merges unless the key is explicitly tagged `!!str`.
    if (key === '<<' && keyNode?.tag !== STR_TAG) applyMergeKey(target, valueNode, value);
    else setKey(target, key, value);
  }
  return target;
}

function convert(walk: Walk, node: Node, { depth, viaAlias }: At): unknown {
  const { isAlias, isMap, isScalar } = loadYaml();
  if (depth > MAX_DEPTH)
    throw new YamlRejectedError(`collections are nested deeper than ${MAX_DEPTH} levels`);
  if (viaAlias && ++walk.expanded > MAX_ALIAS_EXPANSION)
    throw new YamlRejectedError('aliases expand to too many values');
  if (walk.ruby && node.tag === RUBY_SET_TAG && isMap(node)) {
    const members = rubySetMembers(convertCollection(walk, node, { depth, viaAlias }));
    if (members === undefined)
      throw new YamlRejectedError(`${RUBY_SET_TAG} is not a mapping with only a "hash" mapping`);
    return members;
  }
  if (node.tag !== undefined && !(node.tag === STR_TAG && isScalar(node))) {
    throw new YamlRejectedError(`explicit tag ${JSON.stringify(node.tag)} is not allowed`);
  }
  if (isAlias(node)) {
    if (++walk.aliases > MAX_ALIAS_COUNT)
      throw new YamlRejectedError(`more than ${MAX_ALIAS_COUNT} aliases`);
    const target = node.resolve(walk.doc);
    if (target === undefined) throw new YamlRejectedError(`alias *${node.source} has no anchor`);
    if (walk.open.has(target))
      throw new YamlRejectedError(`alias *${node.source} refers to its own ancestor`);
    return convert(walk, target, { depth, viaAlias: true });
  }
  if (isScalar(node)) {
    if (node.type === 'PLAIN' && node.tag === undefined) {
      const source = String(node.source);
      if (walk.ruby) {
        const rubyValue = rubyPlainScalar(source);
        if (rubyValue !== undefined) return checkString(rubyValue);
      }
      const value = resolvePlainScalar(source);
      return typeof value === 'string' ? checkString(value) : value;
    }
    return checkString(String(node.value));
  }
  return convertCollection(walk, node, { depth, viaAlias });
}

function convertCollection(walk: Walk, node: Node, { depth, viaAlias }: At): unknown {
  const { isMap, isSeq } = loadYaml();
  if (!isMap(node) && !isSeq(node)) throw new YamlRejectedError('unsupported YAML node');
  walk.open.add(node);
  try {
    const inner = { depth: depth + 1, viaAlias };
    return isMap(node)
      ? convertPairs(walk, node.items, inner)
      : (node.items as Node[]).map((item) => convert(walk, item, inner));
  } finally {
    walk.open.delete(node);
  }
}

/**
 * Parses one YAML document the way einhorn's Psych would, restricted to plain data:
 * maps, sequences, strings, numbers, booleans and null. Explicit tags are rejected (never
 * executed), aliases are bounded and must not be recursive, and timestamps stay strings.
 * An empty document is `null`.
 *
 * @throws YamlRejectedError for anything that is not such a document.
 */
export function parseYamlData(text: string): unknown {
  return parseDocument(text, false);
}

/**
 * Like {@link parseYamlData}, but also reads the Ruby vocabulary einhorn's `state` reply uses
 * (what einhorn's client permits with `YAML.safe_load(msg, permitted_classes: [Set, Symbol,
 * Time], aliases: true)`), as plain data and without evaluating anything:
 *
 * - a plain `:name` (a Symbol, key or value) becomes the string `name`;
 * - a `!ruby/object:Set` mapping becomes the array of the keys of its `hash:`;
 * - a plain timestamp (`2026-12-06 16:18:08.319321365 +00:00`, a Time) becomes an ISO 8601
 *   string in UTC with millisecond precision.
 *
 * Every other explicit tag is rejected, as in {@link parseYamlData}.
 *
 * @throws YamlRejectedError for anything that is not such a document.
 */
export function parseRubyYamlData(text: string): unknown {
  return parseDocument(text, true);
}

function parseDocument(text: string, ruby: boolean): unknown {
  const control = NON_PRINTABLE.exec(text);
  if (control !== null) {
    throw new YamlRejectedError(
      `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} is not allowed`,
    );
  }
  const { parseAllDocuments } = loadYaml(); // outside the try: a missing peer is not a YAML error
  let docs: ReturnType<YamlLibrary['parseAllDocuments']>;
  try {
    docs = parseAllDocuments(text, {
      version: '1.1',
      schema: 'failsafe',
      merge: false,
      uniqueKeys: false,
      strict: true,
      prettyErrors: false,
    });
  } catch (error) {
    throw new YamlRejectedError(`the YAML parser failed: ${String(error)}`, { cause: error });
  }
  if (docs.length > 1)
    throw new YamlRejectedError(`expected one YAML document, but found ${docs.length}`);
  const [doc] = docs;
  if (doc === undefined) return null;
  const [firstError] = doc.errors;
  if (firstError !== undefined)
    throw new YamlRejectedError(firstError.message, { cause: firstError });
  const contents = doc.contents;
  if (contents === null) return null;
  try {
    return convert({ doc, ruby, open: new Set(), aliases: 0, expanded: 0 }, contents, {
      depth: 0,
      viaAlias: false,
    });
  } catch (error) {
    if (error instanceof YamlRejectedError) throw error;
    if (error instanceof UnresolvableScalarError || error instanceof RangeError) {
      throw new YamlRejectedError(error.message, { cause: error });
    }
    throw error;
  }
}
