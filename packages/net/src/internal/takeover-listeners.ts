import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';

/** The http.Server events whose listeners take a socket away from HTTP. */
const TAKEOVER_EVENTS = ['upgrade', 'connect'] as const;

/**
 * Calls `onTakeover(socket)` for every socket an `'upgrade'` or `'connect'` listener takes
 * over, without changing Node's behaviour: Node treats an upgrade as a normal request, and
 * destroys a CONNECT socket, when the event has *no* listener, so our listener exists only
 * while the user has one (and runs first).
 */
export function watchTakeovers(server: Server, onTakeover: (socket: Duplex) => void): () => void {
  const ours = (_req: unknown, socket: Duplex): void => {
    onTakeover(socket);
  };
  const installed = new Set<string>();
  const sync = (): void => {
    for (const event of TAKEOVER_EVENTS) {
      const others = server.listeners(event).filter((listener) => listener !== ours).length;
      if (others > 0 && !installed.has(event)) {
        installed.add(event);
        server.prependListener(event, ours);
      } else if (others === 0 && installed.has(event)) {
        installed.delete(event);
        server.off(event, ours);
      }
    }
  };
  const onListenerChange = (event: string | symbol): void => {
    if (event === 'upgrade' || event === 'connect') queueMicrotask(sync);
  };
  sync();
  server.on('newListener', onListenerChange);
  server.on('removeListener', onListenerChange);
  return () => {
    server.off('newListener', onListenerChange);
    server.off('removeListener', onListenerChange);
    for (const event of installed) server.off(event, ours);
    installed.clear();
  };
}
