import type { ServeOptions } from '@einhorn/net';
import type { AckResult, WorkerContext } from '@einhorn/worker';

/**
 * Options of the {@link fastifyEinhorn} plugin: how the app ACKs and drains. They are the
 * options of `serve()` in `@einhorn/net`, with the same names, defaults and meaning (the drain
 * engine is the same), plus `healthPath`; where to listen goes to {@link listenEinhorn}.
 */
export interface FastifyEinhornOptions extends Omit<
  ServeOptions,
  'index' | 'backlog' | 'fallback' | 'signal' | 'ready'
> {
  /**
   * Path of a `GET` readiness route answering `200` while serving and `503` once draining
   * starts (body: {@link EinhornHealthBody}). Omit it to add no route.
   * @default undefined
   */
  readonly healthPath?: string;
}

/**
 * Options of {@link listenEinhorn}: which inherited socket to adopt, and where to listen
 * outside Einhorn. The same names and defaults as `serve()` in `@einhorn/net`.
 */
export type ListenEinhornOptions = Pick<ServeOptions, 'index' | 'backlog' | 'fallback' | 'signal'>;

/** The `app.einhorn` decorator added by {@link fastifyEinhorn}. */
export interface FastifyEinhorn {
  /** The Einhorn worker context, or `undefined` when the process is not an Einhorn worker. */
  readonly context: WorkerContext | undefined;
  /** `true` once a graceful drain has started (a shutdown signal or `app.close()`). */
  readonly isDraining: boolean;
  /**
   * Tells the master this worker is up. Idempotent; resolves without doing anything when the
   * process is not an Einhorn worker.
   * @throws EinhornAckError `ERR_EINHORN_ACK_CONNECT`, `ERR_EINHORN_ACK_TIMEOUT` (rejects)
   */
  readonly ack: () => Promise<AckResult | undefined>;
}

/** JSON body of the readiness route configured with `healthPath`. */
export interface EinhornHealthBody {
  /** `'ok'` while serving (HTTP 200), `'draining'` once draining (HTTP 503). */
  readonly status: 'ok' | 'draining';
  /** This worker's pid. */
  readonly pid: number;
  /** `EINHORN_CHILD_INDEX`; absent when not under Einhorn. */
  readonly childIndex?: number;
}
