import type { Logger } from 'pino';

/**
 * A log line that repeats during an outage (every failed batch, every reconnect attempt) is
 * written at most once per `intervalMs`, with how many were suppressed since the last one.
 */
export function throttledLog(
  logger: Logger,
  level: 'warn' | 'error',
  msg: string,
  intervalMs = 5_000,
): (error: unknown, extra?: Record<string, unknown>) => void {
  let last = -Infinity;
  let suppressed = 0;
  return (error, extra) => {
    const now = performance.now();
    if (now - last < intervalMs) {
      suppressed++;
      return;
    }
    logger[level]({ err: error, suppressed, ...extra }, msg);
    last = now;
    suppressed = 0;
  };
}
