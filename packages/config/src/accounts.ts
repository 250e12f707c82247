import { accountAliasSchema } from '@friren/contracts';
import { accountCredentialVariables } from './credentials.js';
import type { EnvReader } from './env-reader.js';

const VARIABLE = 'FRIREN_ACCOUNTS';

/**
 * The comma-separated alias list. An invalid entry is named by position, not echoed: whatever
 * was typed there is not known to be safe to print. Returns the distinct valid aliases even when
 * some entries are bad, so their credentials are still checked and reported in the same pass.
 */
export function parseAccountAliases(reader: EnvReader, value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim());
  const aliases: string[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    if (accountAliasSchema.safeParse(entry).success) aliases.push(entry);
    else problems.push(`entry ${index + 1} of ${entries.length} is not a valid alias (1-32 of [a-z0-9_-])`);
  });

  // Two aliases may also collide on their credential variable names ("a-b" and "a_b").
  const seen = new Map<string, string>();
  for (const alias of aliases) {
    const stem = accountCredentialVariables(alias).keyId;
    const earlier = seen.get(stem);
    if (earlier === alias) problems.push(`"${alias}" is listed twice`);
    else if (earlier !== undefined) problems.push(`"${earlier}" and "${alias}" would share ${stem}`);
    else seen.set(stem, alias);
  }

  for (const problem of new Set(problems)) reader.fail(VARIABLE, problem);
  return [...seen.values()];
}
