import { setTimeout as sleep } from 'node:timers/promises';
import { countTradesThrough } from '@friren/db';
import { KeyedMutex } from './keyed-mutex.js';
import {
  checkpointAccount,
  type RecomputeContext,
  type RecomputeOptions,
  type RecomputeResult,
  recomputeAccount,
} from './recompute.js';

/** Settle waits per run; newer rows are left to the next job (the recorder queues one per commit). */
const MAX_SETTLE_ROUNDS = 5;

export interface AccountRunnerOptions {
  /** How often an account's cursor is checked against the ledger for late-committed rows. */
  readonly verifyEveryMs: number;
}

/**
 * Runs recomputes: one per account at a time in this process (the row lock covers other processes);
 * waits out rows too recent to fold; and now and then checks that every ledger row up to the cursor
 * was folded — a row committed later than the settle delay below the cursor is caught here and the
 * account rebuilt, so the figures still equal a rebuild's.
 */
export class AccountRunner {
  private readonly mutex = new KeyedMutex();
  private readonly verifiedAt = new Map<string, number>();
  /** Accounts whose latest recompute failed, with the error's message. */
  private readonly failing = new Map<string, string>();
  private stopped = false;

  constructor(
    readonly ctx: RecomputeContext,
    private readonly opts: AccountRunnerOptions,
  ) {}

  run(account: string, opts: RecomputeOptions = {}): Promise<RecomputeResult> {
    return this.mutex.run(account, async () => {
      try {
        const result = await this.runLocked(account, opts);
        this.failing.delete(account);
        this.ctx.metrics?.recomputeFailing.set({ account }, 0);
        return result;
      } catch (error) {
        // Whatever the step (Redis, a missing grant, the fold, the publish): counted and shown.
        this.failing.set(account, error instanceof Error ? error.message : String(error));
        this.ctx.metrics?.recomputeFailures.inc({ account });
        this.ctx.metrics?.recomputeFailing.set({ account }, 1);
        throw error;
      }
    });
  }

  /**
   * For /readyz: not ok while the latest recompute of some account failed (its figures are not
   * current), naming the accounts and their errors.
   */
  recomputeCheck(): { ok: boolean; detail?: string } {
    if (this.failing.size === 0) return { ok: true };
    const detail = [...this.failing].map(([account, message]) => `${account}: ${message}`).join('; ');
    return { ok: false, detail: `latest recompute failed for ${detail}`.slice(0, 500) };
  }

  private async runLocked(account: string, opts: RecomputeOptions): Promise<RecomputeResult> {
    let result = await recomputeAccount(this.ctx, account, opts);
    let folded = result.folded;
    for (let round = 0; result.unsettled && round < MAX_SETTLE_ROUNDS && !this.stopped; round++) {
      await sleep(this.ctx.settleMs + 20);
      result = await recomputeAccount(this.ctx, account);
      folded += result.folded;
    }
    if (this.verifyDue(account)) {
      const inLedger = await countTradesThrough(this.ctx.database.pool, account, result.lastTradeId);
      this.verifiedAt.set(account, performance.now());
      if (inLedger !== result.fills) {
        this.ctx.logger.warn(
          { account, cursor: result.lastTradeId, folded: result.fills, inLedger },
          'ledger rows committed below the cursor after it passed them: rebuilding the account',
        );
        result = await recomputeAccount(this.ctx, account, { rebuild: 'late trade' });
        folded += result.folded;
      }
    }
    return { ...result, folded };
  }

  /** Stores every cached state ahead of its checkpoint (shutdown, after the last run). */
  async checkpointAll(): Promise<number> {
    let written = 0;
    for (const account of [...this.ctx.cache.keys()]) {
      try {
        if (await this.mutex.run(account, () => checkpointAccount(this.ctx, account))) written++;
      } catch (error) {
        // Only costs a longer refold after the restart.
        this.ctx.logger.warn({ account, err: error }, 'could not checkpoint analytics state');
      }
    }
    return written;
  }

  /** Stops settle waits (shutdown): a waiting run finishes with what it has. */
  stop(): void {
    this.stopped = true;
  }

  private verifyDue(account: string): boolean {
    const last = this.verifiedAt.get(account);
    return last === undefined || performance.now() - last >= this.opts.verifyEveryMs;
  }
}
