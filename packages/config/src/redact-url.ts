const MASK = '***';

// Query parameters that drivers accept as credentials (e.g. mysql2's `?password=`).
const SECRET_PARAM = /pass|pwd|secret|token|key/i;

/**
 * The URL with its password (and credential-like query parameters) masked, safe to log.
 * An unparseable URL is not echoed at all: we cannot tell where its password is.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable URL]';
  }
  if (parsed.password !== '') parsed.password = MASK;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, MASK);
  }
  return parsed.toString();
}
