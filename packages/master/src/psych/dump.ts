import { rubyFloatText } from './float.ts';
import { RubyFloat, RubySet, RubySymbol, RubyTime } from './ruby-value.ts';
import type { RubyKey, RubyValue } from './ruby-value.ts';
import { analyzeScalar, selectScalarStyle } from './scalar-analysis.ts';
import { psychStringStyle } from './string-style.ts';
import type { ScalarStyle } from './string-style.ts';
import { psychTimeText } from './time.ts';
import { memoizeText } from './memo.ts';
import { BEST_INDENT, NEED_WHITESPACE, OPEN_EMPTY, SEQUENCE_ENTRY, Writer } from './writer.ts';

type Node = RubyValue | RubyKey;
/** Where a node is written, as libyaml's emit_node flags. */
interface Context {
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}
const VALUE: Context = { mapping: false, simpleKey: false };
const MAPPING_KEY: Context = { mapping: true, simpleKey: true };
const MAPPING_VALUE: Context = { mapping: true, simpleKey: false };
const PLAIN = { style: 'plain' } as const;

/** Objects that occur more than once get anchors, numbered in the order their second use is met (Psych's registrar). */
function findAnchors(root: RubyValue): Map<object, number> {
  const seen = new Set<object>();
  const anchors = new Map<object, number>();
  const visit = (node: Node): void => {
    if (typeof node !== 'object' || node === null || node instanceof RubySymbol) return;
    if (seen.has(node)) {
      if (!anchors.has(node)) anchors.set(node, anchors.size + 1);
      return;
    }
    seen.add(node);
    if (node instanceof Map) {
      (node as ReadonlyMap<RubyKey, RubyValue>).forEach((value, key) => {
        visit(key);
        visit(value);
      });
    } else if (Array.isArray(node)) for (const item of node as readonly RubyValue[]) visit(item);
  };
  visit(root);
  return anchors;
}

/** libyaml's final style of a scalar, per requested style and key/value position. */
const STYLES: readonly ScalarStyle[] = ['plain', 'single', 'double', 'literal'];
const finalStyles = STYLES.flatMap((requested) =>
  [false, true].map((simpleKey) =>
    memoizeText((text) => selectScalarStyle(requested, analyzeScalar(text), simpleKey)),
  ),
);

function cachedStyle(text: string, requested: ScalarStyle, simpleKey: boolean): ScalarStyle {
  const style = finalStyles[STYLES.indexOf(requested) * 2 + (simpleKey ? 1 : 0)];
  return style === undefined
    ? selectScalarStyle(requested, analyzeScalar(text), simpleKey)
    : style(text);
}

/** Psych's requested style of a String. */
const cachedStringStyle = memoizeText(psychStringStyle);

/** `:name` for a Symbol name, once checked to need no quoting. */
const plainSymbolText = memoizeText((name) => {
  if (!/^[A-Za-z_][\w.]*[?!]?$/.test(name))
    throw new RangeError(`Symbol :${name} would need quoting, which this dumper does not do.`);
  return `:${name}`;
});

class Emitter {
  readonly #w = new Writer();
  readonly #anchors: Map<object, number>;
  readonly #written = new Set<object>();

  constructor(anchors: Map<object, number>) {
    this.#anchors = anchors;
  }

  document(root: RubyValue): string {
    this.#w.indicator('---', NEED_WHITESPACE);
    this.#node(root, VALUE);
    this.#w.writeIndent();
    if (this.#w.openEnded) {
      this.#w.indicator('...', NEED_WHITESPACE);
      this.#w.writeIndent();
    }
    return this.#w.text;
  }

  #increaseIndent(flow: boolean, indentless: boolean): number {
    const saved = this.#w.indent;
    if (saved < 0) this.#w.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.#w.indent = saved + BEST_INDENT;
    return saved;
  }

  /** Writes `&N` before the first use of a shared object; returns true if this use is an alias (written as `*N`). */
  #anchorOrAlias(node: object, context: Context): boolean {
    const id = this.#anchors.get(node);
    if (id === undefined) return false;
    const alias = this.#written.has(node);
    this.#w.indicator(alias ? '*' : '&', NEED_WHITESPACE);
    this.#w.put(String(id));
    this.#w.whitespace = false;
    this.#w.indention = false;
    if (alias && context.simpleKey) this.#w.put(' ');
    this.#written.add(node);
    return alias;
  }

  #node(node: Node, context: Context): void {
    if (node === null) {
      this.#scalar('', PLAIN, context);
      return;
    }
    if (typeof node === 'boolean' || typeof node === 'number') {
      if (typeof node === 'number' && !Number.isSafeInteger(node))
        throw new RangeError(`Expected an Integer, but found ${node}; wrap floats in RubyFloat.`);
      this.#scalar(String(node), PLAIN, context);
      return;
    }
    if (typeof node === 'string') {
      this.#scalar(node, cachedStringStyle(node), context);
      return;
    }
    if (node instanceof RubySymbol) {
      this.#scalar(plainSymbolText(node.name), PLAIN, context);
      return;
    }
    if (node instanceof RubyFloat) {
      this.#scalar(rubyFloatText(node.value), PLAIN, context);
      return;
    }
    if (this.#anchorOrAlias(node, context)) return;
    if (node instanceof RubyTime) {
      this.#scalar(psychTimeText(node.epochMs), PLAIN, context);
      return;
    }
    if (node instanceof RubySet) {
      const hash = new Map<RubyKey, RubyValue>(node.members.map((member) => [member, true]));
      this.#mapping(new Map([['hash', hash]]), '!ruby/object:Set');
      return;
    }
    if (node instanceof Map) {
      this.#mapping(node);
      return;
    }
    this.#sequence(node as readonly RubyValue[], context);
  }

  #scalar(
    text: string,
    requested: { readonly style: ScalarStyle; readonly tag?: string | undefined },
    context: Context,
  ): void {
    const style = cachedStyle(text, requested.style, context.simpleKey);
    if (requested.tag !== undefined) this.#w.token(requested.tag);
    const saved = this.#increaseIndent(true, false);
    const allowBreaks = !context.simpleKey;
    if (style === 'plain') this.#w.plain(text, allowBreaks);
    else if (style === 'single') this.#w.singleQuoted(text, allowBreaks);
    else if (style === 'double') this.#w.doubleQuoted(text, allowBreaks);
    else this.#w.literal(text);
    this.#w.indent = saved;
  }

  #empty(open: string, close: string): void {
    this.#w.indicator(open, OPEN_EMPTY);
    this.#w.indicator(close);
  }

  #sequence(items: readonly RubyValue[], context: Context): void {
    if (items.length === 0) {
      this.#empty('[', ']');
      return;
    }
    const saved = this.#increaseIndent(false, context.mapping && !this.#w.indention);
    for (const item of items) {
      this.#w.writeIndent();
      this.#w.indicator('-', SEQUENCE_ENTRY);
      this.#node(item, VALUE);
    }
    this.#w.indent = saved;
  }

  #mapping(map: ReadonlyMap<RubyKey, RubyValue>, tag?: string): void {
    if (tag !== undefined) this.#w.token(tag);
    if (map.size === 0) {
      this.#empty('{', '}');
      return;
    }
    const saved = this.#increaseIndent(false, false);
    map.forEach((value, key) => {
      this.#w.writeIndent();
      this.#node(key, MAPPING_KEY);
      this.#w.indicator(':');
      this.#node(value, MAPPING_VALUE);
    });
    this.#w.indent = saved;
  }
}

/**
 * `YAML.dump(value)` as Ruby's Psych 4 (libyaml 0.2.5) writes it, byte for byte, for the value
 * types of {@link RubyValue}: block mappings and sequences, `{}`/`[]` when empty, Psych's string
 * quoting and folding at 80 columns, `!ruby/object:Set`, Symbols, Times, anchors and aliases.
 *
 * @throws RangeError for a Symbol that would need quoting or a non-integral plain number.
 */
export function psychDump(value: RubyValue): string {
  return new Emitter(findAnchors(value)).document(value);
}
