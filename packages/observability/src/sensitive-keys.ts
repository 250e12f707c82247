// Key names whose values are censored wholesale, at any depth. Matching is by word, so the
// ordinary `key` (a Redis key), `keyHash`, `keyPrefix` and `tokens` (a rate-limit bucket's
// level) stay readable, while `apiKey`, `APCA-API-SECRET-KEY`, `keyId`, `accessToken`,
// `password` and `Authorization` are hidden.

// Never benign, even inside a longer word.
const SENSITIVE_FRAGMENTS = [
  'secret',
  'password',
  'passwd',
  'passphrase',
  'apca',
  'authorization',
  'credential',
  'cookie',
];

// Sensitive as a whole word, or as two adjacent words joined ("api" + "key").
const SENSITIVE_WORDS = new Set([
  'token',
  'pwd',
  'bearer',
  'apikey',
  'keyid',
  'accesskey',
  'privatekey',
  'apitoken',
  'accesstoken',
  'authtoken',
  'refreshtoken',
]);

/** Splits `apiKey`, `api_key`, `API-KEY`, `XApiKey` into lower-case words. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

export function isSensitiveKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (SENSITIVE_FRAGMENTS.some((fragment) => lower.includes(fragment))) return true;
  const parts = words(key);
  return parts.some(
    (word, i) => SENSITIVE_WORDS.has(word) || SENSITIVE_WORDS.has(word + (parts[i + 1] ?? '')),
  );
}
