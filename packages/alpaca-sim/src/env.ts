import { z } from 'zod';
import { accountSeedSchema } from './schemas.js';
import type { SimAccountSeed } from './types.js';

export interface SimEnv {
  port: number;
  host: string;
  accounts: SimAccountSeed[] | undefined;
  rateLimitPerMin: number | undefined;
}

const envSchema = z.object({
  ALPACA_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  ALPACA_SIM_HOST: z.string().min(1).default('127.0.0.1'),
  ALPACA_SIM_KEYS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(accountSeedSchema).min(1))
    .optional(),
  ALPACA_SIM_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().optional(),
});

/**
 * Standalone settings: ALPACA_SIM_PORT (8090), ALPACA_SIM_HOST (127.0.0.1), ALPACA_SIM_KEYS (JSON array
 * of account seeds, default one `sim-key`/`sim-secret` account), ALPACA_SIM_RATE_LIMIT_PER_MIN (200).
 * Throws one error naming every bad variable.
 */
export function simEnv(env: Record<string, string | undefined>): SimEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new Error(`invalid alpaca-sim environment: ${bad.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.ALPACA_SIM_PORT,
    host: e.ALPACA_SIM_HOST,
    accounts: e.ALPACA_SIM_KEYS,
    rateLimitPerMin: e.ALPACA_SIM_RATE_LIMIT_PER_MIN,
  };
}
