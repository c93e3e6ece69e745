// Graceful shutdown for a long-running process, by close-with-grace (as
// fastify/demo's server.ts does): on SIGTERM or SIGINT — or an uncaught
// exception / unhandled rejection — `close` runs once, bounded by one delay
// (SHUTDOWN_GRACE_S).
//
// Invariants: the process always ends — exit 0 when `close` finished in time
// after a signal; exit 1 when `close` threw (the error is logged, never a hang),
// when it outlived the delay, when shutdown began with an error, or on a second
// signal. Signals a process uses for something else (the worker's SIGHUP resync)
// are left alone.
import closeWithGrace from 'close-with-grace';
import type { Logger } from './logger.ts';

export interface GracefulShutdownOptions {
  /** The one bound on `close`, in milliseconds; at least 1 ms (0 would mean "already too late"). */
  delayMs: number;
  logger: Logger;
  /** Signals this process handles itself, e.g. ['SIGHUP']. */
  keepSignals?: ('SIGHUP' | 'SIGUSR2')[];
}

export type ShutdownReason = { signal?: string; err?: Error; manual?: boolean };

export function closeGracefully(options: GracefulShutdownOptions, close: (reason: ShutdownReason) => Promise<void>): { close(): void } {
  const { logger } = options;
  const handle = closeWithGrace({
    delay: Math.max(1, options.delayMs),
    skip: options.keepSignals ?? [],
    logger: { error: (error: unknown) => logger.error({ err: error }, 'shutdown failed') },
    onTimeout: (delay) => logger.error({ delayMs: delay }, 'shutdown took longer than SHUTDOWN_GRACE_S; exiting'),
    onSecondSignal: (signal) => logger.warn({ signal }, 'second signal during shutdown; exiting at once'),
    onSecondError: (error) => logger.error({ err: error }, 'second error during shutdown; exiting at once'),
  }, async (reason) => {
    if (reason.err) logger.error({ err: reason.err }, 'shutting down after an uncaught error');
    else logger.info({ signal: reason.signal ?? (reason.manual ? 'manual' : 'exit') }, 'shutting down');
    await close(reason);
    logger.info('shutdown complete');
  });
  return { close: () => handle.close() };
}
