import { createDb } from '@friren/db';

/** What the demo asks of the ledger before it writes a history into it. */
export interface DemoLedger {
  /** Trades of `account` whose trade id does not start with `idPrefix`. */
  countOtherTrades(account: string, idPrefix: string): Promise<number>;
}

/** The ledger in MySQL, on a one-connection pool opened for the question and closed after it. */
export function mysqlDemoLedger(mysqlUrl: string): DemoLedger {
  return {
    async countOtherTrades(account, idPrefix) {
      const database = createDb(mysqlUrl, { poolSize: 1 });
      try {
        const { n } = await database.db
          .selectFrom('trades')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('account', '=', account)
          .where('trade_id', 'not like', `${escapeLike(idPrefix)}%`)
          .executeTakeFirstOrThrow();
        return Number(n);
      } finally {
        await database.close();
      }
    },
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
