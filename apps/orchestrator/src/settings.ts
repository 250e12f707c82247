import { appConfigLoader, ConfigError, DEFAULT_OPS_PORTS } from '@friren/config';
import { SIGNED_DECIMAL_PATTERN, safeParseWith } from '@friren/contracts';
import type { RiskLimits } from '@friren/orchestrator-core';
import { z } from 'zod';
import { dashboardWriteFromEnv } from './admin/dashboard-env.js';

/**
 * Optional pre-trade limits for `POST /v1/accounts/:alias/risk-check` (this app's own variables,
 * not part of the shared contract): unset turns the rule off.
 */
export const RISK_ENV = {
  maxPositionPct: 'FRIREN_RISK_MAX_POSITION_PCT',
  dailyLossLimit: 'FRIREN_RISK_DAILY_LOSS_LIMIT',
} as const;

const positiveDecimal = z
  .string()
  .trim()
  .regex(SIGNED_DECIMAL_PATTERN, { message: 'must be a decimal number', abort: true })
  .refine((v) => !v.startsWith('-') && /[1-9]/.test(v), { message: 'must be greater than 0' })
  .optional();

const riskEnvSchema = z.object({
  [RISK_ENV.maxPositionPct]: positiveDecimal,
  [RISK_ENV.dailyLossLimit]: positiveDecimal,
});

/** Throws ConfigError naming each bad variable (never its value). */
export function riskLimitsFromEnv(env: NodeJS.ProcessEnv): RiskLimits {
  const r = safeParseWith(riskEnvSchema, {
    [RISK_ENV.maxPositionPct]: env[RISK_ENV.maxPositionPct] || undefined,
    [RISK_ENV.dailyLossLimit]: env[RISK_ENV.dailyLossLimit] || undefined,
  });
  // Same error as loadConfig's, so the entry point reports both kinds alike.
  if (!r.ok) throw new ConfigError(r.issues.map((i) => ({ variable: i.field, message: i.message })));
  return {
    maxPositionPct: r.value[RISK_ENV.maxPositionPct] ?? null,
    dailyLossLimit: r.value[RISK_ENV.dailyLossLimit] ?? null,
  };
}

/**
 * The orchestrator's configuration from the environment: docs/CONTRACT.md §1 (without the poller's
 * timing relations: the orchestrator never polls), FRIREN_RISK_* and FRIREN_QUEUE_DASHBOARD_WRITE,
 * every bad variable in one ConfigError.
 */
export const load = appConfigLoader(
  { opsPort: DEFAULT_OPS_PORTS.orchestrator, pollerTiming: false },
  riskLimitsFromEnv,
  dashboardWriteFromEnv,
);
