import type { z } from 'zod';

/** One broken rule, named by field path (e.g. `metadata`, `quantity`, or an unknown field's name). */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly FieldIssue[]; readonly reason: string };

/** Thrown by producers (e.g. `@friren/client`) so callers see every bad field at once. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly issues: readonly FieldIssue[],
    what = 'payload',
  ) {
    super(`invalid ${what}: ${formatIssues(issues)}`);
  }
}

/** `quantity: at most 9 decimal places; foo: unknown field` — the reason stored with a rejection. */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.message}`).join('; ');
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: [...issue.path, key].map(String).join('.'), message: 'unknown field' });
      }
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
    const missing = issue.code === 'invalid_type' && issue.input === undefined && issue.path.length > 0;
    out.push({ field, message: missing ? 'is required' : issue.message });
  }
  return out;
}

export function safeParseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issues = toFieldIssues(r.error);
  return { ok: false, issues, reason: formatIssues(issues) };
}
