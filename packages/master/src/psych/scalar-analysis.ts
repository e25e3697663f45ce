import type { ScalarStyle } from './string-style.ts';
import { codePoints, isBreak, isPrintable } from './chars.ts';

/** What libyaml's `yaml_emitter_analyze_scalar` finds out about a scalar's text. */
export interface ScalarAnalysis {
  readonly empty: boolean;
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

const isBlankOrEnd = (char: string | undefined): boolean =>
  char === undefined || char === ' ' || char === '\t' || char === '\0' || isBreak(char);

const FIRST_INDICATORS = new Set('#,[]{}&*!|>\'"%@`');

/** A port of `yaml_emitter_analyze_scalar` (block context only: we never write flow scalars). */
export function analyzeScalar(text: string): ScalarAnalysis {
  const chars = codePoints(text);
  if (chars.length === 0) {
    return {
      empty: true,
      multiline: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index] ?? '';
    const followedByWhitespace = isBlankOrEnd(chars[index + 1]);
    const first = index === 0;
    const last = index === chars.length - 1;
    if (first) {
      if (FIRST_INDICATORS.has(char)) blockIndicators = true;
      if ((char === '?' || char === ':' || char === '-') && followedByWhitespace)
        blockIndicators = true;
    } else {
      if (char === ':' && followedByWhitespace) blockIndicators = true;
      if (char === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(char.codePointAt(0) ?? 0)) special = true;
    if (isBreak(char)) lineBreaks = true;
    if (char === ' ') {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(char)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(char);
  }
  let blockPlainAllowed = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let singleQuotedAllowed = true;
  let blockAllowed = !trailingSpace;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return {
    empty: false,
    multiline: lineBreaks,
    blockPlainAllowed,
    singleQuotedAllowed,
    blockAllowed,
  };
}

/**
 * `yaml_emitter_select_scalar_style` in block context. `plainImplicit` is false for Psych's
 * Strings with a tag; a non-plain style without `quotedImplicit` would need a `!` tag, which
 * we never produce (callers pass true).
 */
export function selectScalarStyle(
  requested: ScalarStyle,
  analysis: ScalarAnalysis,
  simpleKey: boolean,
): ScalarStyle {
  let style = requested;
  if (simpleKey && analysis.multiline) style = 'double';
  if (style === 'plain') {
    if (!analysis.blockPlainAllowed) style = 'single';
    if (analysis.empty && simpleKey) style = 'single';
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!analysis.blockAllowed || simpleKey)) style = 'double';
  return style;
}
