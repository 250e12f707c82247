/** What every redacted secret becomes in the output. */
export const CENSOR = '[REDACTED]';

// Shorter values would censor ordinary words all over the logs; such secrets are still hidden
// when logged under a sensitive key, just not found inside free text.
const MIN_SECRET_LENGTH = 4;

// ALPACA_KEY_ID, ALPACA_SECRET_KEY, ALPACA_<ALIAS>_KEY_ID, ALPACA_<ALIAS>_SECRET_KEY, FRIREN_API_TOKEN.
const SECRET_ENV_NAME = /^(?:ALPACA_(?:[A-Z0-9_]+_)?(?:KEY_ID|SECRET_KEY)|FRIREN_API_TOKEN)$/;

// scheme://user:password@ — the password part, wherever a URL with credentials appears.
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/"\\]*:)[^\s@/"\\]+@/gi;

// One process-wide set: `friren up` runs every app in one process and any of its loggers may
// print any app's secret.
const secrets = new Set<string>();
let pattern: RegExp | null = null;
let patternStale = false;

/**
 * Adds a value that must never appear in a log line, wherever it occurs in the text. Apps call
 * this for secrets they read from `*_FILE` variables; env values are found by
 * `registerSecretsFromEnv`.
 */
export function registerSecret(value: string | null | undefined): void {
  if (value === null || value === undefined || value.length < MIN_SECRET_LENGTH) return;
  // Log lines are JSON, so a secret holding quotes or backslashes appears escaped.
  for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
    if (!secrets.has(form)) {
      secrets.add(form);
      patternStale = true;
    }
  }
}

/**
 * Registers the broker keys, the API token and the password of every `*_URL` variable found in
 * `env`. `createLogger` calls it with `process.env`.
 */
export function registerSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (SECRET_ENV_NAME.test(name)) registerSecret(value);
    else if (name.endsWith('_URL')) registerUrlPassword(value);
  }
}

function registerUrlPassword(value: string): void {
  let password: string;
  try {
    password = new URL(value).password;
  } catch {
    return;
  }
  if (password === '') return;
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // A malformed escape: the raw form registered above is what can appear.
  }
}

/** `text` with every registered secret censored and every URL password masked. */
export function redactSecrets(text: string): string {
  const current = currentPattern();
  const censored = current === null ? text : text.replace(current, CENSOR);
  return censored.replace(URL_PASSWORD, '$1***@');
}

function currentPattern(): RegExp | null {
  if (patternStale) {
    // Longest first, so a secret containing another is censored whole.
    const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'g');
    patternStale = false;
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
