// Collects the JSON lines a child prints on a stream, and waits for one that matches.
import { EventEmitter, once } from 'node:events';

export class JsonLines extends EventEmitter {
  /** Every JSON line seen so far, parsed, in order. */
  lines = [];
  #buffer = '';
  #ended = false;

  constructor(stream) {
    super();
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      this.#buffer += chunk;
      let newline;
      while ((newline = this.#buffer.indexOf('\n')) >= 0) {
        const line = this.#buffer.slice(0, newline).trim();
        this.#buffer = this.#buffer.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        try {
          this.lines.push(JSON.parse(line));
          this.emit('line');
        } catch {
          // not ours
        }
      }
    });
    stream.on('end', () => {
      this.#ended = true;
      this.emit('line');
    });
  }

  /** The first line at index ≥ `from` that `match` accepts; rejects after `timeoutMs`. */
  async waitFor(match, { from = 0, timeoutMs = 30_000 } = {}) {
    const signal = AbortSignal.timeout(timeoutMs);
    for (let index = from; ;) {
      for (; index < this.lines.length; index++)
        if (match(this.lines[index])) return this.lines[index];
      if (this.#ended) throw new Error('The process ended before printing the expected line.');
      try {
        await once(this, 'line', { signal });
      } catch {
        throw new Error(`No expected line within ${timeoutMs} ms.`);
      }
    }
  }
}
