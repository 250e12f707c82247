/**
 * Wraps an async task so at most one run is in flight: calls made while it runs share it and cause
 * exactly one more run afterwards (a burst of pub/sub messages costs two Redis reads, not N).
 * `task` must not reject.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await task();
    } while (again);
  };
  return () => {
    if (running !== null) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = null;
    });
    return running;
  };
}
