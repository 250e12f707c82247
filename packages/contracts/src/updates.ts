import { z } from 'zod';

/** Message on `P:account:A:updated` (docs/CONTRACT.md §2). */
export const accountUpdateSchema = z.object({
  kind: z.enum(['snapshot', 'performance']),
  version: z.number().int().nonnegative(),
});

export type AccountUpdate = z.infer<typeof accountUpdateSchema>;

export function encodeAccountUpdate(u: AccountUpdate): string {
  return JSON.stringify({ kind: u.kind, version: u.version });
}

/** Returns null for anything that is not a valid update (a foreign publisher must not crash readers). */
export function decodeAccountUpdate(message: string): AccountUpdate | null {
  try {
    const r = accountUpdateSchema.safeParse(JSON.parse(message));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
