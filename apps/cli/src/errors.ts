/** Exit codes: 0 ok, 1 failure, 2 usage error (bad flags or input). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Bad flags, arguments or input: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure already explained to the user: printed as is, exit 1. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
