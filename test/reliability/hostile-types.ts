// The shapes the hostile-input fuzzer works with: lines, how they are written, and options.
import type { Arbitrary } from 'fast-check';

/** What kind of hostility a line carries (for figures and reproducers). */
export type Category =
  | 'valid'
  | 'tag'
  | 'date'
  | 'alias'
  | 'nesting'
  | 'utf8'
  | 'nul'
  | 'crlf'
  | 'percent'
  | 'unknown'
  | 'wrong-type'
  | 'huge'
  | 'garbage';

/** One hostile line. Exactly one of text, bytes or huge is set. */
export interface HostileLine {
  readonly category: Category;
  readonly text?: string;
  readonly bytes?: readonly number[];
  /** A line of exactly `size` bytes (a JSON request padded with `x`), built when sent. */
  readonly huge?: { readonly size: number };
  /** What ends the line: '' makes it a half line that the next one continues. */
  readonly terminator: '\n' | '\r\n' | '\n\r' | '';
  /** A well-formed worker:ack/ping: the server must close the connection after it (checks 22, 27). */
  readonly workerCommand: boolean;
}

export type Delivery =
  | { readonly kind: 'whole' }
  | { readonly kind: 'chunks'; readonly sizes: readonly number[] }
  | { readonly kind: 'trickle'; readonly step: number };

export interface Probe {
  readonly lines: readonly HostileLine[];
  readonly delivery: Delivery;
}

export interface HostileOptions {
  /** 'master' keeps every valid line harmless to a real einhorn-node. */
  readonly target: 'fixture' | 'master';
  /** The server's line limit; huge lines are sized around it. */
  readonly maxLineBytes: number;
  /** Weight of multi-MB lines against 540 for all other lines together (0 = none). */
  readonly hugeWeight: number;
}

/** What every line generator gets: the command names it may use and a request-id generator. */
export interface LineContext {
  /** Command names that may appear with any field values (fixture: all; master: harmless + worker). */
  readonly safe: readonly string[];
  /** Command names a valid line may carry (fixture: all but worker commands; master: harmless only). */
  readonly cmd: Arbitrary<string>;
  readonly id: Arbitrary<string>;
}

/** A line before its terminator is chosen. */
export type LineBody = Omit<HostileLine, 'terminator'>;

/** A line of `text` in `category`. */
export function line(category: Category, text: string, workerCommand = false): LineBody {
  return { category, text, workerCommand };
}
