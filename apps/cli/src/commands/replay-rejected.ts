import { createTradeClient } from '@friren/client';
import { tradeClientTarget } from '@friren/config';
import { QUEUES } from '@friren/contracts';
import { createDb, listRejected } from '@friren/db';
import { openRedis } from '@friren/redis';
import { type Patch, patchSchema, replayRejected } from '@friren/trade-recorder';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseFlags, parseWith } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, println } from '../context.js';
import { CliFailure, EXIT, UsageError } from '../errors.js';
import { renderTable } from '../format/table.js';

export const REPLAY_USAGE = `usage:
  friren replay-rejected --list [--after ID] [--limit N]     rejected trades, oldest first, with the reason
  friren replay-rejected --id N [--patch JSON] [--dry-run]   re-submit rejected trade N with fields patched
                                                             (a patch value of null removes the field)
  The stored payload is never edited; the patched trade must pass the contract like any other.`;

const OPTIONS = {
  list: { type: 'boolean' },
  after: { type: 'string' },
  limit: { type: 'string' },
  id: { type: 'string' },
  patch: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const rowId = z.string().regex(/^\d{1,20}$/, { message: 'must be a row id (see --list)' });

const listSchema = z.object({
  after: rowId.default('0'),
  limit: z
    .string()
    .regex(/^\d+$/, { message: 'must be a positive integer' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { message: 'must be between 1 and 1000' })
    .default(50),
});

const patchFlag = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. \'{"quantity":"10"}\'' });
      return z.NEVER;
    }
  })
  .pipe(patchSchema.refine((p) => !Array.isArray(p), { message: 'must be a JSON object of fields' }));

const replaySchema = z.object({ id: rowId, patch: patchFlag.optional() });

/** Listing and replay are the trade-recorder's (`replayRejected`); this is only their command line. */
export async function replayRejectedCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    println(ctx.stdout, REPLAY_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (Boolean(values.list) === (values.id !== undefined))
    throw new UsageError('give either --list or --id N');
  const config = cliConfig(ctx.env);
  const database = createDb(config.mysqlUrl, { poolSize: 1 });
  try {
    if (values.list) {
      const { after, limit } = parseWith(listSchema, { after: values.after, limit: values.limit });
      const rows = await listRejected(database.db, { afterId: after, limit });
      if (rows.length === 0) {
        println(ctx.stdout, 'no rejected trades');
        return EXIT.ok;
      }
      println(
        ctx.stdout,
        renderTable(
          [{ header: 'id', align: 'right' }, { header: 'received' }, { header: 'job' }, { header: 'reason' }],
          rows.map((r) => [r.id, r.received_at, cut(r.job_id, 40), cut(r.reason, 90)]),
        ),
      );
      println(
        ctx.stdout,
        `\n${rows.length} shown; payloads with --id N --dry-run; next page: --after ${rows.at(-1)!.id}`,
      );
      return EXIT.ok;
    }

    const { id, patch } = parseWith(replaySchema, { id: values.id, patch: values.patch });
    const redis = openRedis(config.redisUrl, config.redisSentinel, {
      maxRetriesPerRequest: 1,
      connectionName: 'friren-cli-replay',
    });
    redis.on('error', () => {});
    const queue = new Queue(QUEUES.trades, { connection: redis, prefix: config.prefix });
    queue.on('error', () => {});
    const accounts = config.accounts.map((a) => a.alias);
    const client = createTradeClient({ ...tradeClientTarget(config), accounts });
    try {
      const outcome = await replayRejected(
        { database, client, queue, accounts },
        id,
        (patch ?? {}) as Patch,
        {
          dryRun: values['dry-run'] ?? false,
        },
      );
      if (!outcome.ok) throw new CliFailure(outcome.reason);
      const verb = values['dry-run'] ? 'would submit' : 'submitted';
      println(ctx.stdout, `${verb} job ${outcome.jobId}: ${JSON.stringify(outcome.payload)}`);
      return EXIT.ok;
    } finally {
      await client.close();
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    }
  } finally {
    await database.close();
  }
}

function cut(s: string, n: number): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length <= n ? oneLine : `${oneLine.slice(0, n - 1)}…`;
}
