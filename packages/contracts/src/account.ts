import { z } from 'zod';

/** An account alias as configured in FRIREN_ACCOUNTS (docs/CONTRACT.md §1). */
export const ACCOUNT_ALIAS_PATTERN = /^[a-z0-9_-]{1,32}$/;

export const accountAliasSchema = z
  .string()
  .regex(ACCOUNT_ALIAS_PATTERN, { message: 'must be 1-32 of [a-z0-9_-]' });
