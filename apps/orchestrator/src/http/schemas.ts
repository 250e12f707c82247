import { accountAliasSchema } from '@friren/contracts';
import { z } from 'zod';

/** Route parameters and bodies, parsed by zod at the boundary (unknown fields refused). */
export const aliasParamsSchema = z.strictObject({ alias: accountAliasSchema });

/** `POST /v1/accounts/:alias/refresh`: an optional note passed on to the poller. */
export const refreshBodySchema = z
  .strictObject({ reason: z.string().min(1).max(200).optional() })
  .optional()
  .nullable();

export { orderRequestSchema as riskCheckBodySchema } from '@friren/orchestrator-core';
