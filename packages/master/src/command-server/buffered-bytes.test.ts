import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ServerConnection } from './connection.ts';
import type { ConnectionSettings } from './connection.ts';

/** Just enough of a socket for one connection: records pause/resume and replies. */
class FakeSocket extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  paused = false;
  written: string[] = [];
  pause(): this {
    this.paused = true;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
  setTimeout(): this {
    return this;
  }
  end(): this {
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

function connect(maxBufferedBytes: number): { socket: FakeSocket; handled: string[] } {
  const socket = new FakeSocket();
  const handled: string[] = [];
  const settings: ConnectionSettings = {
    maxLineBytes: 64 * 1024,
    maxBufferedBytes,
    maxPendingWriteBytes: 16 * 1024 * 1024,
    idleTimeoutMs: 0,
    emit: () => undefined,
    handleLine: (line) => {
      handled.push(line);
      return 'continue';
    },
  };
  new ServerConnection(1, socket as unknown as Socket, settings);
  return { socket, handled };
}

const line = (i: number): string => `{"command":"help","id":${i},"pad":"${'x'.repeat(1000)}"}\n`;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('maxBufferedBytes', () => {
  it('pauses reading while the queued request bytes are over the cap, and resumes once they are handled', async () => {
    const { socket, handled } = connect(8 * 1024);
    // 200 lines in one read: 64 are handled this turn, the other ~136 KiB wait for the next turns.
    socket.emit('data', Buffer.from(Array.from({ length: 200 }, (_, i) => line(i)).join('')));
    expect(handled).toHaveLength(64);
    expect(socket.paused).toBe(true);
    while (handled.length < 200) await turn();
    expect(handled.map((text) => (JSON.parse(text) as { id: number }).id)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect(socket.paused).toBe(false);
  });

  it('control: with a cap above what is queued, the same input does not pause reading', async () => {
    const { socket, handled } = connect(1024 * 1024);
    socket.emit('data', Buffer.from(Array.from({ length: 200 }, (_, i) => line(i)).join('')));
    expect(handled).toHaveLength(64);
    expect(socket.paused).toBe(false);
    while (handled.length < 200) await turn();
  });
});
