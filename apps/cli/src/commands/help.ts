export const HELP = `friren — the account & trade cluster's command line

usage: friren <command> [options]      (friren <command> --help for its options)

commands:
  up                 run poller, trade-recorder, analytics and orchestrator in one process
                     (the simulator when no broker keys are set; --demo adds a strategy engine)
  migrate            create the database if absent and apply pending migrations
  submit             queue a fill (flags or --json), validated by the contract; prints the job id
  snapshot [alias]   an account's balances, positions and health, with freshness
  report [alias]     balances and P&L, Sharpe, drawdown, win rate, profit factor per strategy
  health [alias...]  each account's health; exits 1 if any is unhealthy
  replay-rejected    list rejected trades, or re-submit one with a patch

Configured by environment variables (REDIS_URL, MYSQL_URL, FRIREN_PREFIX, FRIREN_ACCOUNTS, …; see
CONTRACT.md §1). Exit codes: 0 ok, 1 failure, 2 usage error.`;
