import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line, for tests. */
export function captureLines(): {
  destination: DestinationStream;
  lines: string[];
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
