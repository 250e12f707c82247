import type { EnvReader } from './env-reader.js';
import { secretSchema } from './schemas.js';
import type { AccountConfig, AlpacaCredentials } from './types.js';

export interface CredentialVariables {
  readonly keyId: string;
  readonly secretKey: string;
}

export const SHARED_CREDENTIAL_VARIABLES: CredentialVariables = {
  keyId: 'ALPACA_KEY_ID',
  secretKey: 'ALPACA_SECRET_KEY',
};

/** `ALPACA_<ALIAS>_KEY_ID` / `ALPACA_<ALIAS>_SECRET_KEY`, alias upper-cased with `-` → `_`. */
export function accountCredentialVariables(alias: string): CredentialVariables {
  const stem = `ALPACA_${alias.toUpperCase().replaceAll('-', '_')}`;
  return { keyId: `${stem}_KEY_ID`, secretKey: `${stem}_SECRET_KEY` };
}

/** A pair of credential variables: both set, neither set (null), or invalid (undefined). */
export function readCredentialPair(
  reader: EnvReader,
  vars: CredentialVariables,
): AlpacaCredentials | null | undefined {
  const keyIdRaw = reader.rawOrFile(vars.keyId);
  const secretRaw = reader.rawOrFile(vars.secretKey);
  if (reader.hasIssue(vars.keyId, `${vars.keyId}_FILE`, vars.secretKey, `${vars.secretKey}_FILE`)) {
    return undefined;
  }
  if (keyIdRaw === undefined && secretRaw === undefined) return null;
  if (keyIdRaw === undefined) {
    reader.fail(vars.keyId, `missing while ${vars.secretKey} is set`);
    return undefined;
  }
  if (secretRaw === undefined) {
    reader.fail(vars.secretKey, `missing while ${vars.keyId} is set`);
    return undefined;
  }
  const keyId = reader.check(vars.keyId, keyIdRaw, secretSchema);
  const secretKey = reader.check(vars.secretKey, secretRaw, secretSchema);
  return keyId === undefined || secretKey === undefined ? undefined : { keyId, secretKey };
}

/**
 * Each account's credentials: its own pair overrides the shared pair. Either every account has
 * credentials or none has (simulator mode); a mix would leave some account unable to reach the
 * broker, so it is an error. Undefined when anything is wrong (issues recorded).
 */
export function resolveAccounts(reader: EnvReader, aliases: readonly string[]): AccountConfig[] | undefined {
  const shared = readCredentialPair(reader, SHARED_CREDENTIAL_VARIABLES);
  let valid = shared !== undefined;
  const accounts: AccountConfig[] = [];
  for (const alias of aliases) {
    const own = readCredentialPair(reader, accountCredentialVariables(alias));
    if (own === undefined) valid = false;
    accounts.push({ alias, credentials: own ?? shared ?? null });
  }
  if (!valid) return undefined;

  const without = accounts.filter((account) => account.credentials === null);
  if (without.length > 0 && without.length < accounts.length) {
    for (const { alias } of without) {
      const vars = accountCredentialVariables(alias);
      reader.fail(
        vars.keyId,
        `account "${alias}" has no credentials while other accounts do; set ${vars.keyId} and ${vars.secretKey}`,
      );
    }
    return undefined;
  }
  return accounts;
}
