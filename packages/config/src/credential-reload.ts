import {
  accountCredentialVariables,
  type CredentialVariables,
  readCredentialPair,
  SHARED_CREDENTIAL_VARIABLES,
} from './credentials.js';
import { EnvReader, type ReadFile, readFileUtf8 } from './env-reader.js';
import type { ConfigIssue } from './errors.js';
import type { AccountConfig, AlpacaCredentials } from './types.js';

export interface CredentialChange {
  readonly alias: string;
  readonly credentials: AlpacaCredentials;
}

export interface CredentialReloadResult {
  /** Accounts whose credentials differ from the ones in use; those are now the ones in use. */
  readonly changed: readonly CredentialChange[];
  /** What could not be read this time (never a value); the affected accounts keep their credentials. */
  readonly issues: readonly ConfigIssue[];
}

export interface CredentialReloaderOptions {
  /** Reads `*_FILE` secrets; defaults to a UTF-8 `readFileSync`. */
  readonly readFile?: ReadFile;
}

/**
 * Re-reads broker credentials while a process runs. Secrets mounted from files (Kubernetes
 * Secrets, Docker secrets) are rotated by rewriting the file, so the `*_FILE` variants can change
 * under a running process; plain variables cannot, and re-reading them only confirms what is in use.
 * Same precedence and rules as loadConfig (an account's own pair over the shared one), but per
 * account and forgiving: a file that cannot be read, or a pair that vanished, keeps the credentials
 * in use and is reported, because a half-written rotation must not take a working account down.
 */
export class CredentialReloader {
  /** Whether any of these accounts' credentials come from a file, so a reload can find something new. */
  readonly fileBacked: boolean;
  readonly #env: NodeJS.ProcessEnv;
  readonly #readFile: ReadFile;
  readonly #inUse = new Map<string, AlpacaCredentials | null>();

  constructor(
    env: NodeJS.ProcessEnv,
    accounts: readonly AccountConfig[],
    opts: CredentialReloaderOptions = {},
  ) {
    this.#env = env;
    this.#readFile = opts.readFile ?? readFileUtf8;
    for (const account of accounts) this.#inUse.set(account.alias, account.credentials);
    const pairs = [SHARED_CREDENTIAL_VARIABLES, ...accounts.map((a) => accountCredentialVariables(a.alias))];
    this.fileBacked = pairs.some((vars) => this.#hasFile(vars));
  }

  /** The credentials in use for `alias` (as of the last reload). */
  current(alias: string): AlpacaCredentials | null {
    return this.#inUse.get(alias) ?? null;
  }

  /** Reads every account's credentials again and adopts the ones that changed. */
  reload(): CredentialReloadResult {
    const reader = new EnvReader(this.#env, this.#readFile);
    const shared = readCredentialPair(reader, SHARED_CREDENTIAL_VARIABLES);
    const changed: CredentialChange[] = [];
    for (const [alias, inUse] of this.#inUse) {
      const vars = accountCredentialVariables(alias);
      const own = readCredentialPair(reader, vars);
      // Undefined: an issue is already recorded (own pair, or the shared one it falls back to).
      const next = own === null ? shared : own;
      if (next === undefined) continue;
      if (next === null) {
        if (inUse !== null) {
          reader.fail(vars.keyId, `account "${alias}" no longer has credentials; keeping the ones in use`);
        }
        continue;
      }
      if (inUse !== null && inUse.keyId === next.keyId && inUse.secretKey === next.secretKey) continue;
      this.#inUse.set(alias, next);
      changed.push({ alias, credentials: next });
    }
    return { changed, issues: reader.issues };
  }

  #hasFile(vars: CredentialVariables): boolean {
    return [vars.keyId, vars.secretKey].some((name) => {
      const path = this.#env[`${name}_FILE`];
      return path !== undefined && path !== '';
    });
  }
}
