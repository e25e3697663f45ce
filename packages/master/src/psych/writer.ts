import { codePoints, isBreak, isPrintable } from './chars.ts';

/** libyaml's `best_width`: scalars are folded at spaces once a line is longer. */
const BEST_WIDTH = 80;
/** libyaml's `best_indent`. */
export const BEST_INDENT = 2;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

function escape(code: number): string {
  const short = SHORT_ESCAPES[code];
  if (short !== undefined) return `\\${short}`;
  const [letter, width] = code <= 0xff ? ['x', 2] : code <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${letter}${code.toString(16).toUpperCase().padStart(width, '0')}`;
}

/** Text with neither spaces nor line breaks: plain writing is a copy. */
const UNFOLDABLE = /^[^ \r\n\u0085\u2028\u2029]*$/;
/** libyaml's line breaks (IS_BREAK). */
const HAS_BREAK = /[\r\n\u0085\u2028\u2029]/;
/** Any character that is not a space: writing it clears `indention`. */
const NOT_ONLY_SPACES = /[^ ]/;
/** Printable ASCII without space, `"` or `\\`: double-quoted writing is a copy too. */
const PRINTABLE_ASCII_WORD = /^[\x21\x23-\x5b\x5d-\x7e]*$/;

/** The flags of libyaml's `write_indicator`, all false unless given. */
export interface IndicatorFlags {
  readonly needWhitespace?: boolean;
  readonly isWhitespace?: boolean;
  readonly isIndention?: boolean;
}

// A document is written synchronously from start to end, so one piece buffer serves every
// Writer: after the first dumps it has the capacity a state document needs and stops growing.
const buffer: string[] = [];
function takeBuffer(): string[] {
  buffer.length = 0;
  return buffer;
}

/** Runs of spaces for indentation, made once per width. */
const spaceRuns: string[] = [];
function spaces(count: number): string {
  return (spaceRuns[count] ??= ' '.repeat(count));
}

/** Flag sets used on every document, shared rather than allocated per call. */
export const NEED_WHITESPACE: IndicatorFlags = { needWhitespace: true };
export const SEQUENCE_ENTRY: IndicatorFlags = { needWhitespace: true, isIndention: true };
export const OPEN_EMPTY: IndicatorFlags = { needWhitespace: true, isWhitespace: true };
const NO_FLAGS: IndicatorFlags = {};

/** The output buffer and the cursor state of libyaml's emitter (`column`, `whitespace`, `indention`). */
export class Writer {
  /** The text written so far, in pieces (joined once: no intermediate string per write). */
  readonly #out: string[] = takeBuffer();
  column = 0;
  /** Current block indent; -1 before the first collection. */
  indent = -1;
  whitespace = true;
  indention = true;
  /** A block scalar with `+` chomping was the last one written: the stream then ends with `...`. */
  openEnded = false;

  get text(): string {
    return this.#out.join('');
  }

  put(text: string): void {
    this.#out.push(text);
    let width = text.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0xdc00 && code <= 0xdfff) width--; // the second half of a surrogate pair
    }
    this.column += width;
  }

  putBreak(): void {
    this.#out.push('\n');
    this.column = 0;
  }

  writeBreak(char: string): void {
    if (char === '\n') this.putBreak();
    else {
      this.#out.push(char);
      this.column = 0;
    }
  }

  /** `yaml_emitter_write_indent`. */
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    if (this.column < indent) this.put(spaces(indent - this.column));
    this.whitespace = true;
    this.indention = true;
  }

  /** `yaml_emitter_write_indicator(text, need_whitespace, is_whitespace, is_indention)`. */
  indicator(text: string, flags: IndicatorFlags = NO_FLAGS): void {
    if (flags.needWhitespace === true && !this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = flags.isWhitespace === true;
    this.indention = this.indention && flags.isIndention === true;
  }

  /** A tag handle/suffix or anchor name: written after a space unless at whitespace. */
  token(text: string): void {
    if (!this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = false;
    this.indention = false;
  }

  plain(text: string, allowBreaks: boolean): void {
    if (!this.whitespace && text.length > 0) this.put(' ');
    if (UNFOLDABLE.test(text)) this.put(text);
    else this.#folded(text, allowBreaks, { quote: undefined });
    this.whitespace = false;
    this.indention = false;
  }

  singleQuoted(text: string, allowBreaks: boolean): void {
    this.indicator("'", NEED_WHITESPACE);
    const breaks = this.#folded(text, allowBreaks, { quote: "'" });
    if (breaks) this.writeIndent();
    this.indicator("'");
    this.whitespace = false;
    this.indention = false;
  }

  /** Plain and single-quoted bodies: fold at a lone space past the width, keep line breaks. */
  #folded(text: string, allowBreaks: boolean, { quote }: { quote: string | undefined }): boolean {
    // Without line breaks, and unable to pass the width (a space is only folded once the column
    // is beyond it), the body is the text with its quotes doubled: one write, not one per character.
    if (!HAS_BREAK.test(text) && (!allowBreaks || this.column + text.length <= BEST_WIDTH)) {
      this.put(quote === undefined ? text : text.replaceAll(quote, `${quote}${quote}`));
      if (NOT_ONLY_SPACES.test(text)) this.indention = false;
      return false;
    }
    const chars = codePoints(text);
    let spaces = false;
    let breaks = false;
    chars.forEach((char, index) => {
      if (char === ' ') {
        const edge = quote !== undefined && (index === 0 || index === chars.length - 1);
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !edge && chars[index + 1] !== ' ')
          this.writeIndent();
        else this.put(char);
        spaces = true;
      } else if (isBreak(char)) {
        if (!breaks && char === '\n') this.putBreak();
        this.writeBreak(char);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(char === quote ? `${char}${char}` : char);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    return breaks;
  }

  doubleQuoted(text: string, allowBreaks: boolean): void {
    this.indicator('"', NEED_WHITESPACE);
    if (PRINTABLE_ASCII_WORD.test(text)) {
      this.put(text);
      this.indicator('"');
      this.whitespace = false;
      this.indention = false;
      return;
    }
    const chars = codePoints(text);
    let spaces = false;
    chars.forEach((char, index) => {
      const code = char.codePointAt(0) ?? 0;
      if (!isPrintable(code) || code === 0xfeff || isBreak(char) || char === '"' || char === '\\') {
        this.put(escape(code));
        spaces = false;
      } else if (char === ' ') {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          index !== 0 &&
          index !== chars.length - 1
        ) {
          this.writeIndent();
          if (chars[index + 1] === ' ') this.put('\\');
        } else this.put(char);
        spaces = true;
      } else {
        this.put(char);
        spaces = false;
      }
    });
    this.indicator('"');
    this.whitespace = false;
    this.indention = false;
  }

  literal(text: string): void {
    this.indicator('|', NEED_WHITESPACE);
    const chars = codePoints(text);
    if (chars[0] === ' ' || isBreak(chars[0])) this.indicator(String(BEST_INDENT));
    this.openEnded = false;
    const last = chars.at(-1);
    const beforeLast = chars.at(-2);
    if (!isBreak(last)) this.indicator('-');
    else if (chars.length === 1 || isBreak(beforeLast)) {
      this.indicator('+');
      this.openEnded = true;
    }
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const char of chars) {
      if (isBreak(char)) {
        this.writeBreak(char);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(char);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
