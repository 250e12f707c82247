/** The trade did not reach the queue in time (Redis down or slow); it may still land later. */
export class SubmitTimeoutError extends Error {
  override readonly name = 'SubmitTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(
      `trade not confirmed by Redis within ${timeoutMs} ms; resubmitting is safe ((account, trade_id) is the idempotency key)`,
    );
  }
}

/** Rejects with SubmitTimeoutError if `work` has not settled within `ms`. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SubmitTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
