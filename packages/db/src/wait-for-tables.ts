import { errorText } from '@friren/observability';
import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import type { DB } from './schema.js';

/** The tables of `tables` missing from the database `db` is connected to (empty: all there). */
export async function missingTables(db: Kysely<DB>, tables: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = DATABASE() AND table_name IN (${sql.join([...tables])})
  `.execute(db);
  const present = new Set(rows.map((r) => r.name));
  return tables.filter((t) => !present.has(t));
}

export interface TableWaitOptions {
  /** The tables the app needs; created by `pnpm migrate`, never by the app. */
  readonly tables: readonly string[];
  /** Runs once every table is there (e.g. starts the workers); a throw counts as not ready yet. */
  readonly onReady: () => Promise<void> | void;
  /** Told why the app is not running yet, at most once per `logEveryMs`. */
  readonly onWaiting: (detail: string) => void;
  /** Default 2000 ms between checks. */
  readonly retryMs?: number;
  /** Default 30 000 ms between `onWaiting` calls. */
  readonly logEveryMs?: number;
}

export interface TableWait {
  /** For `/readyz`: ok once `onReady` has run, else what is missing. */
  status(): { readonly ok: boolean; readonly detail?: string };
  /** Stops checking; resolves when the check loop (and an `onReady` under way) has ended. */
  stop(): Promise<void>;
}

/**
 * An app that needs tables starts without them and waits: it checks every `retryMs`, says what
 * is missing (run `pnpm migrate`), and runs `onReady` once they are all there.
 */
export function waitForTables(database: Database, opts: TableWaitOptions): TableWait {
  const retryMs = opts.retryMs ?? 2_000;
  const logEveryMs = opts.logEveryMs ?? 30_000;
  let state: { ok: boolean; detail?: string } = { ok: false, detail: 'not checked yet' };
  let stopped = false;
  let wake: (() => void) | undefined;

  const loop = (async () => {
    let lastLogged = Number.NEGATIVE_INFINITY;
    while (!stopped) {
      try {
        const missing = await missingTables(database.db, opts.tables);
        if (missing.length === 0) {
          if (stopped) return;
          await opts.onReady();
          state = { ok: true };
          return;
        }
        state = { ok: false, detail: `missing tables ${missing.join(', ')}: run \`pnpm migrate\`` };
      } catch (error) {
        state = { ok: false, detail: `cannot start: ${errorText(error)}` };
      }
      if (performance.now() - lastLogged > logEveryMs && state.detail !== undefined) {
        opts.onWaiting(state.detail);
        lastLogged = performance.now();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  return {
    status: () => state,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
