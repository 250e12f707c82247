import type { Migration } from 'kysely/migration';
import * as m0001 from './2026_11_25_0001_trades.js';
import * as m0002 from './2026_11_25_0002_rejected_trades.js';
import * as m0003 from './2026_11_25_0003_analytics.js';
import * as m0004 from './2026_12_04_0004_ledger_keys.js';
import * as m0005 from './2026_12_04_0005_marks_daily.js';

/**
 * Every migration, by name. Imported statically (not read from a folder) so the same code runs from
 * src under vitest and from dist in production. Names sort by date; append, never rename.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '2026_11_25_0001_trades': m0001,
  '2026_11_25_0002_rejected_trades': m0002,
  '2026_11_25_0003_analytics': m0003,
  '2026_12_04_0004_ledger_keys': m0004,
  '2026_12_04_0005_marks_daily': m0005,
};
