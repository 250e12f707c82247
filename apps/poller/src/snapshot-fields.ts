import type { BrokerAccount } from '@friren/alpaca';
import {
  type AccountSnapshot,
  encodeSnapshot,
  SNAPSHOT_FLAG_FIELDS,
  SNAPSHOT_MONEY_FIELDS,
  type SnapshotSource,
} from '@friren/contracts';

/** Every field a snapshot hash may hold (docs/CONTRACT.md §2). */
export const SNAPSHOT_FIELDS: readonly string[] = [
  'account',
  'broker_account_id',
  'status',
  'currency',
  'daytrade_count',
  'fetched_at',
  'version',
  'source',
  ...SNAPSHOT_MONEY_FIELDS,
  ...SNAPSHOT_FLAG_FIELDS,
];

export interface SnapshotMeta {
  readonly alias: string;
  readonly fetchedAt: number;
  readonly source: SnapshotSource;
}

/**
 * The broker's account as snapshot hash fields, minus `version` (the writer takes it from Redis).
 * Money is copied as the broker's strings; a field the broker omitted or sent as null is absent.
 */
export function snapshotFields(account: BrokerAccount, meta: SnapshotMeta): Record<string, string> {
  const snapshot: { -readonly [K in keyof AccountSnapshot]: AccountSnapshot[K] } = {
    account: meta.alias,
    broker_account_id: account.id,
    status: account.status,
    fetched_at: meta.fetchedAt,
    version: 0,
    source: meta.source,
  };
  if (account.currency != null) snapshot.currency = account.currency;
  if (account.daytrade_count != null) snapshot.daytrade_count = account.daytrade_count;
  for (const f of SNAPSHOT_MONEY_FIELDS) {
    const v = account[f];
    if (v != null) snapshot[f] = v;
  }
  for (const f of SNAPSHOT_FLAG_FIELDS) {
    const v = account[f];
    if (v != null) snapshot[f] = v;
  }
  const { version: _version, ...fields } = encodeSnapshot(snapshot);
  return fields;
}
