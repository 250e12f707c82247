/** FinBERT sentiment buckets: negative < −0.2 ≤ neutral ≤ 0.2 < positive; `unknown` when absent. */
export const SENTIMENT_BUCKETS = ['negative', 'neutral', 'positive', 'unknown'] as const;
export type SentimentBucket = (typeof SENTIMENT_BUCKETS)[number];

/**
 * Confidence quintiles of the [0, 1] score, fixed-width so they can be kept incrementally:
 * q1 [0, 0.2), q2 [0.2, 0.4), q3 [0.4, 0.6), q4 [0.6, 0.8), q5 [0.8, 1]; `unknown` when absent.
 */
export const CONFIDENCE_BUCKETS = ['q1', 'q2', 'q3', 'q4', 'q5', 'unknown'] as const;
export type ConfidenceBucket = (typeof CONFIDENCE_BUCKETS)[number];

/** Index into `SENTIMENT_BUCKETS`. */
export function sentimentIndex(sentiment: number | null | undefined): number {
  if (sentiment === null || sentiment === undefined || Number.isNaN(sentiment)) return 3;
  if (sentiment < -0.2) return 0;
  return sentiment > 0.2 ? 2 : 1;
}

/** Index into `CONFIDENCE_BUCKETS`. */
export function confidenceIndex(confidence: number | null | undefined): number {
  if (confidence === null || confidence === undefined || Number.isNaN(confidence)) return 5;
  if (confidence < 0.2) return 0;
  if (confidence < 0.4) return 1;
  if (confidence < 0.6) return 2;
  return confidence < 0.8 ? 3 : 4;
}
