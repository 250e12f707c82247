import { parseFlags, pickAccount } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, println } from '../context.js';
import { CliFailure, EXIT } from '../errors.js';
import { withAccounts } from '../read/open-accounts.js';
import { renderBalances, renderPerformance, renderSnapshotHeader } from '../read/render.js';

export const REPORT_USAGE = `usage: friren report [<alias>] [--json]
  Balances, then P&L and performance per strategy and overall (the analytics summary):
  total and realized P&L, return, Sharpe, Sortino, max drawdown, Calmar, win rate, profit factor,
  expectancy, trades. <alias> may be left out when one account is configured.`;

export async function report(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    println(ctx.stdout, REPORT_USAGE);
    return EXIT.ok;
  }
  const config = cliConfig(ctx.env);
  const alias = pickAccount(
    positionals,
    config.accounts.map((a) => a.alias),
  );
  return withAccounts(config, [alias], async ({ managers }) => {
    const manager = managers.get(alias)!;
    const read = await manager.getAccountSnapshot();
    const performance = manager.getPerformance();
    if (values.json) {
      const body = {
        account: alias,
        snapshot: read.snapshot,
        pnl: {
          total: manager.getTotalPnl(),
          realized: manager.getRealizedPnl(),
          unrealized: manager.getUnrealizedPnl(),
          day: manager.getDayPnl(),
        },
        performance,
      };
      println(ctx.stdout, JSON.stringify(body, null, 2));
      return performance === null ? EXIT.failure : EXIT.ok;
    }
    if (read.known) {
      println(ctx.stdout, renderSnapshotHeader(read));
      println(ctx.stdout);
      println(ctx.stdout, renderBalances(read.snapshot, manager.getDayPnl()));
    } else {
      println(ctx.stdout, `balances: no snapshot for ${alias} (${read.reason})`);
    }
    println(ctx.stdout);
    if (performance === null) {
      throw new CliFailure(
        `no performance summary for ${alias} yet: analytics writes one after the first trade`,
      );
    }
    println(ctx.stdout, renderPerformance(performance));
    return EXIT.ok;
  });
}
