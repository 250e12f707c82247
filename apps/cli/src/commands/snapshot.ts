import { redisKeys } from '@friren/contracts';
import { parseFlags, pickAccount } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, println } from '../context.js';
import { CliFailure, EXIT } from '../errors.js';
import { withAccounts } from '../read/open-accounts.js';
import {
  renderBalances,
  renderFlags,
  renderHealth,
  renderPositions,
  renderSnapshotHeader,
} from '../read/render.js';

export const SNAPSHOT_USAGE = `usage: friren snapshot [<alias>] [--json]
  The account as the cluster serves it (memory → Redis → last-good): balances, flags, positions and
  health, with the snapshot's age and source. <alias> may be left out when one account is configured.`;

export async function snapshot(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    println(ctx.stdout, SNAPSHOT_USAGE);
    return EXIT.ok;
  }
  const config = cliConfig(ctx.env);
  const alias = pickAccount(
    positionals,
    config.accounts.map((a) => a.alias),
  );
  return withAccounts(config, [alias], async ({ managers, redis }) => {
    const manager = managers.get(alias)!;
    const read = await manager.getAccountSnapshot();
    const health = await manager.isAccountHealthy();
    if (!read.known) throw new CliFailure(`no snapshot for ${alias}: ${read.reason}`);
    const positions = await redis.get(redisKeys(config.prefix).positions(alias)).catch(() => null);
    if (values.json) {
      const freshness = { source: read.source, age_ms: read.age_ms, stale: read.stale, skewed: read.skewed };
      const body = {
        account: alias,
        snapshot: read.snapshot,
        freshness,
        positions: parseOrNull(positions),
        health,
      };
      println(ctx.stdout, JSON.stringify(body, null, 2));
      return EXIT.ok;
    }
    println(ctx.stdout, renderSnapshotHeader(read));
    println(ctx.stdout);
    println(ctx.stdout, renderBalances(read.snapshot, manager.getDayPnl()));
    println(ctx.stdout);
    println(ctx.stdout, renderFlags(read.snapshot));
    println(ctx.stdout);
    println(ctx.stdout, renderPositions(positions));
    println(ctx.stdout);
    println(ctx.stdout, renderHealth(health));
    return EXIT.ok;
  });
}

function parseOrNull(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
