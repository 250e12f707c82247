import { parseFlags } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, println } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { age } from '../format/numbers.js';
import { renderTable } from '../format/table.js';
import { withAccounts } from '../read/open-accounts.js';

export const HEALTH_USAGE = `usage: friren health [<alias>...] [--json]
  Each account's health (snapshot age, broker errors, account status, blocked flags), judged as the
  orchestrator judges it. Exits 1 if any account is unhealthy. Default: every configured account.`;

export async function health(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    println(ctx.stdout, HEALTH_USAGE);
    return EXIT.ok;
  }
  const config = cliConfig(ctx.env);
  const configured = config.accounts.map((a) => a.alias);
  const unknown = positionals.filter((a) => !configured.includes(a));
  if (unknown.length > 0) {
    throw new UsageError(`not in FRIREN_ACCOUNTS (${configured.join(', ')}): ${unknown.join(', ')}`);
  }
  const aliases = positionals.length > 0 ? positionals : configured;
  return withAccounts(config, aliases, async ({ managers }) => {
    const results = await Promise.all(
      aliases.map(async (alias) => {
        const manager = managers.get(alias)!;
        const [read, h] = await Promise.all([manager.getAccountSnapshot(), manager.isAccountHealthy()]);
        return {
          account: alias,
          healthy: h.healthy,
          reasons: h.reasons,
          source: read.source,
          age_ms: read.age_ms,
        };
      }),
    );
    if (values.json) {
      println(ctx.stdout, JSON.stringify(results, null, 2));
    } else {
      const rows = results.map((r) => [
        r.account,
        r.healthy ? 'healthy' : 'UNHEALTHY',
        age(r.age_ms),
        r.source ?? '—',
        r.reasons.join('; '),
      ]);
      println(
        ctx.stdout,
        renderTable(
          [
            { header: 'account' },
            { header: 'health' },
            { header: 'snapshot age', align: 'right' },
            { header: 'source' },
            { header: 'reasons' },
          ],
          rows,
        ),
      );
    }
    return results.every((r) => r.healthy) ? EXIT.ok : EXIT.failure;
  });
}
