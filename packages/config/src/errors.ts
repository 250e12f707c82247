/** One problem with one environment variable. `message` never carries the variable's value. */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/**
 * Every configuration problem found at start, gathered into one error so an operator fixes them
 * in one pass. The message names each offending variable and never echoes a value: a rejected
 * value may well be a secret pasted into the wrong place.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.issues = issues;
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  const variables = [...new Set(issues.map((issue) => issue.variable))];
  const lines = issues.map((issue) => `  ${issue.variable}: ${issue.message}`);
  return `Invalid configuration (${variables.join(', ')}):\n${lines.join('\n')}`;
}
