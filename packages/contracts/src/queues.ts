/** BullMQ queue names (docs/CONTRACT.md §3); the BullMQ `prefix` option is FRIREN_PREFIX. */
export const QUEUES = {
  trades: 'trades',
  analytics: 'analytics',
} as const;

/** Job names within the queues. */
export const JOB_NAMES = {
  trade: 'trade',
  recompute: 'recompute',
  tick: 'tick',
} as const;
