import { randomBytes } from 'node:crypto';
import { createTradeClient, SubmitTimeoutError, ValidationError } from '@friren/client';
import { redactUrl, tradeClientTarget } from '@friren/config';
import type { TradeJobInput } from '@friren/contracts';
import { z } from 'zod';
import { parseFlags, parseWith } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, println } from '../context.js';
import { CliFailure, EXIT, UsageError } from '../errors.js';

export const SUBMIT_USAGE = `usage:
  friren submit --json '<trade or [trades]>'
  friren submit --symbol AAPL --side buy --quantity 10 --price 195.40 [--account A] [--strategy NAME]
                [--timestamp ISO] [--trade-id ID] [--sentiment -1..1] [--confidence 0..1] [--fees N]
                [--order-id ID] [--metadata '{...}']
  Queues fills on the trades queue (docs/CONTRACT.md §3), validated first; prints each job id.
  Defaults: --account the only configured account, --strategy manual, --timestamp now,
  --trade-id cli-<time>-<random>.`;

const OPTIONS = {
  json: { type: 'string' },
  account: { type: 'string' },
  symbol: { type: 'string' },
  side: { type: 'string' },
  quantity: { type: 'string' },
  price: { type: 'string' },
  strategy: { type: 'string' },
  timestamp: { type: 'string' },
  'trade-id': { type: 'string' },
  sentiment: { type: 'string' },
  confidence: { type: 'string' },
  fees: { type: 'string' },
  'order-id': { type: 'string' },
  metadata: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const number = z
  .string()
  .trim()
  .regex(/^[+-]?\d+(\.\d+)?$/, { message: 'must be a number' })
  .transform(Number)
  .optional();

const jsonObject = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown()))
  .optional();

const required = (flag: string) => z.string({ message: `--${flag} is required` }).min(1);

/** Flags → the trade's fields; the contract's own rules are checked by the client afterwards. */
const flagsSchema = z.object({
  account: z.string().optional(),
  symbol: required('symbol'),
  side: required('side'),
  quantity: required('quantity'),
  price: required('price'),
  strategy: z.string().default('manual'),
  timestamp: z.string().optional(),
  'trade-id': z.string().optional(),
  sentiment: number,
  confidence: number,
  fees: z.string().optional(),
  'order-id': z.string().optional(),
  metadata: jsonObject,
});

const TRADE_FLAGS = Object.keys(OPTIONS).filter((k) => k !== 'json' && k !== 'help');

export function cliTradeId(): string {
  return `cli-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** The trades a submit asks for: the JSON payload as given, or one trade built from flags. */
export function tradesFromFlags(
  values: Partial<Record<keyof typeof OPTIONS, string | boolean>>,
  accounts: readonly string[],
): unknown[] {
  if (values.json !== undefined) {
    const extra = TRADE_FLAGS.filter((k) => values[k as keyof typeof OPTIONS] !== undefined);
    if (extra.length > 0) throw new UsageError(`--json takes the whole trade; drop --${extra.join(', --')}`);
    let payload: unknown;
    try {
      payload = JSON.parse(String(values.json));
    } catch (error) {
      throw new UsageError(`--json is not JSON: ${(error as Error).message}`);
    }
    return Array.isArray(payload) ? payload : [payload];
  }
  const f = parseWith(flagsSchema, values);
  const account = f.account ?? (accounts.length === 1 ? accounts[0] : undefined);
  if (account === undefined) throw new UsageError(`--account is required: one of ${accounts.join(', ')}`);
  const trade: Record<string, unknown> = {
    trade_id: f['trade-id'] ?? cliTradeId(),
    account,
    symbol: f.symbol,
    side: f.side,
    quantity: f.quantity,
    price: f.price,
    timestamp: f.timestamp ?? new Date().toISOString(),
    strategy_used: f.strategy,
  };
  if (f.sentiment !== undefined) trade.finbert_sentiment = f.sentiment;
  if (f.confidence !== undefined) trade.confidence_score = f.confidence;
  if (f.fees !== undefined) trade.fees = f.fees;
  if (f['order-id'] !== undefined) trade.order_id = f['order-id'];
  if (f.metadata !== undefined) trade.metadata = f.metadata;
  return [trade];
}

export async function submit(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    println(ctx.stdout, SUBMIT_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const config = cliConfig(ctx.env);
  const accounts = config.accounts.map((a) => a.alias);
  const trades = tradesFromFlags(values, accounts);
  if (trades.length === 0) throw new UsageError('--json holds an empty array: nothing to submit');

  const client = createTradeClient({ ...tradeClientTarget(config), accounts });
  try {
    const submitted = await client.submitMany(trades as TradeJobInput[]);
    for (const s of submitted) {
      const what = `${s.trade.trade_id} (${s.trade.account})`;
      if (s.status === 'queued') println(ctx.stdout, `queued ${s.trade.trade_id} as job ${s.jobId}`);
      else if (s.status === 'duplicate')
        println(ctx.stdout, `already queued or recorded: ${what}, job ${s.jobId}`);
      else if (s.status === 'rejected')
        println(ctx.stdout, `rejected earlier: ${what}, job ${s.jobId}: ${s.failedReason}`);
      else {
        const fields = s.differences.map((d) => `${d.field} ${d.queued} → ${d.submitted}`).join(', ');
        println(
          ctx.stdout,
          `conflicts with job ${s.queuedJobId}: ${what} (${fields}); kept as job ${s.jobId}`,
        );
      }
    }
    return submitted.every((s) => s.status === 'queued' || s.status === 'duplicate') ? EXIT.ok : EXIT.failure;
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new UsageError(error.issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    }
    if (error instanceof SubmitTimeoutError) {
      throw new CliFailure(`Redis at ${redactUrl(config.redisUrl)}: ${error.message}`);
    }
    throw error;
  } finally {
    await client.close();
  }
}
