import type {
  AccountSnapshot,
  BreakdownLine,
  BrokerSummary,
  PerformanceBreakdowns,
  PerformanceReport,
  PerformanceSummary,
} from '@friren/contracts';
import type { DayPnl, Health, SnapshotRead } from '@friren/orchestrator-core';
import { z } from 'zod';
import { age, money, percent, ratio, signedMoney } from '../format/numbers.js';
import { renderPairs, renderTable } from '../format/table.js';

/** Balance rows in the order an operator reads them; absent broker fields are left out. */
const BALANCE_ROWS: readonly (readonly [keyof AccountSnapshot, string])[] = [
  ['portfolio_value', 'portfolio value'],
  ['equity', 'equity'],
  ['last_equity', 'last equity (prev. close)'],
  ['cash', 'cash'],
  ['buying_power', 'buying power'],
  ['regt_buying_power', 'Reg T buying power'],
  ['non_marginable_buying_power', 'non-marginable buying power'],
  ['daytrading_buying_power', 'day-trading buying power'],
  ['long_market_value', 'long market value'],
  ['short_market_value', 'short market value'],
  ['initial_margin', 'initial margin'],
  ['maintenance_margin', 'maintenance margin'],
];

export function renderSnapshotHeader(read: SnapshotRead & { known: true }): string {
  const s = read.snapshot;
  const skewed = read.skewed || read.age_ms < 0;
  const freshness = read.skewed ? 'STALE (clock skew)' : read.stale ? 'STALE' : 'fresh';
  // A snapshot dated ahead of our clock has a negative age: say so instead of "fetched -N s ago".
  const fetched = skewed
    ? `clock skew: fetched ${age(-read.age_ms)} in the future`
    : `fetched ${age(read.age_ms)} ago`;
  const lines = [
    `account ${s.account}  ·  broker account ${s.broker_account_id} (${s.source})  ·  status ${s.status}`,
    `snapshot v${s.version}, ${fetched}, read from ${read.source}: ${freshness}`,
  ];
  if (s.source === 'simulator') lines.push(SIMULATED_BALANCES);
  return lines.join('\n');
}

/** Said wherever the simulator's figures are shown, so nobody mistakes them for an account's. */
export const SIMULATED_BALANCES =
  'SIMULATOR: every balance and position below is the simulated broker’s, not real money';

export function renderBalances(s: AccountSnapshot, day: DayPnl | null): string {
  const rows: string[][] = [];
  for (const [field, label] of BALANCE_ROWS) {
    const v = s[field];
    if (typeof v === 'string') rows.push([label, money(v)]);
  }
  if (day !== null) rows.push(['day P&L', `${signedMoney(day.day)} (${percent(day.day_pct)})`]);
  const currency = s.currency ?? 'USD';
  return renderTable([{ header: 'balance' }, { header: currency, align: 'right' }], rows);
}

export function renderFlags(s: AccountSnapshot): string {
  const flags = (['trading_blocked', 'account_blocked', 'transfers_blocked', 'pattern_day_trader'] as const)
    .filter((f) => s[f] !== undefined)
    .map((f) => `${f} ${s[f] ? 'YES' : 'no'}`);
  const extra = s.multiplier !== undefined ? [`multiplier ${s.multiplier}`] : [];
  return [...flags, ...extra].join('  ·  ');
}

/** The broker's position objects as the poller stored them (decimal strings; extra fields ignored). */
const positionsSchema = z.array(
  z.looseObject({
    symbol: z.string(),
    qty: z.string(),
    side: z.string().optional(),
    avg_entry_price: z.string().optional(),
    current_price: z.string().nullish(),
    market_value: z.string().nullish(),
    unrealized_pl: z.string().nullish(),
  }),
);

export function renderPositions(json: string | null): string {
  if (json === null) return 'positions: none stored (expired or not fetched yet)';
  let parsed: z.infer<typeof positionsSchema>;
  try {
    parsed = positionsSchema.parse(JSON.parse(json));
  } catch {
    return 'positions: the stored value is not a positions array';
  }
  if (parsed.length === 0) return 'positions: none open';
  return renderTable(
    [
      { header: 'symbol' },
      { header: 'side' },
      { header: 'qty', align: 'right' },
      { header: 'avg entry', align: 'right' },
      { header: 'price', align: 'right' },
      { header: 'market value', align: 'right' },
      { header: 'unrealized P&L', align: 'right' },
    ],
    parsed.map((p) => [
      p.symbol,
      p.side ?? '',
      p.qty,
      money(p.avg_entry_price ?? null),
      money(p.current_price ?? null),
      money(p.market_value ?? null),
      signedMoney(p.unrealized_pl ?? null),
    ]),
  );
}

export function renderHealth(h: Health): string {
  return h.healthy ? 'health: healthy' : `health: UNHEALTHY\n${h.reasons.map((r) => `  - ${r}`).join('\n')}`;
}

const PERFORMANCE_COLUMNS = [
  { header: 'strategy' },
  { header: 'trades', align: 'right' },
  { header: 'total P&L', align: 'right' },
  { header: 'realized', align: 'right' },
  { header: 'return', align: 'right' },
  { header: 'Sharpe', align: 'right' },
  { header: 'Sortino', align: 'right' },
  { header: 'max DD', align: 'right' },
  { header: 'Calmar', align: 'right' },
  { header: 'win rate', align: 'right' },
  { header: 'profit factor', align: 'right' },
  { header: 'expectancy', align: 'right' },
] as const;

function performanceRow(name: string, p: PerformanceSummary): string[] {
  return [
    name,
    String(p.trades_count),
    signedMoney(p.total_pnl),
    signedMoney(p.realized_pnl),
    percent(p.total_return_pct),
    ratio(p.sharpe_ratio),
    ratio(p.sortino_ratio),
    percent(p.max_drawdown_pct),
    ratio(p.calmar_ratio),
    percent(p.win_rate_pct, 1),
    ratio(p.profit_factor),
    signedMoney(p.expectancy),
  ];
}

const BROKER_COLUMNS = [
  { header: 'source' },
  { header: 'days', align: 'right' },
  { header: 'from' },
  { header: 'to' },
  { header: 'equity', align: 'right' },
  { header: 'return', align: 'right' },
  { header: 'Sharpe', align: 'right' },
  { header: 'Sortino', align: 'right' },
  { header: 'max DD', align: 'right' },
  { header: 'Calmar', align: 'right' },
] as const;

function brokerLines(broker: BrokerSummary | null | undefined): string[] {
  if (broker === undefined || broker === null) return ['account (broker): no equity history yet'];
  const note =
    broker.source === 'simulator'
      ? 'SIMULATOR: these describe the simulated broker account (seeded history), not real trading'
      : broker.source === 'alpaca'
        ? 'from Alpaca’s daily portfolio history'
        : 'broker source unknown';
  return [
    `account (broker) — ${note}`,
    renderTable(BROKER_COLUMNS, [
      [
        broker.source,
        String(broker.days),
        broker.from ?? '—',
        broker.to ?? '—',
        broker.equity ?? '—',
        percent(broker.total_return_pct),
        ratio(broker.sharpe_ratio),
        ratio(broker.sortino_ratio),
        percent(broker.max_drawdown_pct),
        ratio(broker.calmar_ratio),
      ],
    ]),
    `  daily returns without the history's base day${broker.live_today ? '; today from the live account (equity / last_equity − 1)' : ''}`,
  ];
}

const BREAKDOWN_COLUMNS = [
  { header: 'group' },
  { header: 'closing fills', align: 'right' },
  { header: 'realized', align: 'right' },
  { header: 'unrealized', align: 'right' },
  { header: 'win rate', align: 'right' },
  { header: 'profit factor', align: 'right' },
] as const;

/**
 * The mark each held symbol is valued at, and where it came from (`broker`: the broker's position
 * price; `last-fill`: our last fill, where the broker gave none), when the view carries them. Read
 * tolerantly: an older view has no `marks`, and a malformed entry is left out rather than failing
 * the report.
 */
const marksSchema = z.record(
  z.string(),
  z.looseObject({ price: z.string(), source: z.string(), date: z.string().optional() }),
);

export function renderMarks(raw: unknown): string[] {
  if (raw === undefined || raw === null || typeof raw !== 'object') return [];
  const rows: string[][] = [];
  for (const [symbol, entry] of Object.entries(raw as Record<string, unknown>).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const one = marksSchema.safeParse({ [symbol]: entry });
    if (!one.success) continue;
    const m = one.data[symbol]!;
    rows.push([
      symbol,
      money(m.price),
      m.source === 'last-fill' ? 'last fill (no broker price)' : m.source,
      m.date ?? '—',
    ]);
  }
  if (rows.length === 0) return [];
  return [
    '',
    'marks (what open positions are valued at)',
    renderTable(
      [{ header: 'symbol' }, { header: 'mark', align: 'right' }, { header: 'source' }, { header: 'day' }],
      rows,
    ),
  ];
}

/** Symbols held on days the broker gave no usable price, so they were valued at our last fill. */
export function markNoteLines(notes: PerformanceReport['mark_notes']): string[] {
  if (notes === undefined || notes === null || notes.length === 0) return [];
  return [
    '',
    'marked at the last fill instead of the broker’s price',
    renderTable(
      [
        { header: 'symbol' },
        { header: 'why' },
        { header: 'days', align: 'right' },
        { header: 'from' },
        { header: 'to' },
      ],
      notes.map((n) => [n.symbol, n.reason, String(n.days), n.first, n.last]),
    ),
  ];
}

function breakdownLines(b: PerformanceBreakdowns | null | undefined): string[] {
  if (b === undefined || b === null) return [];
  const rows: string[][] = [];
  const add = (prefix: string, group: Readonly<Record<string, BreakdownLine>>, skipEmpty: boolean) => {
    for (const [name, l] of Object.entries(group)) {
      if (skipEmpty && l.closing_trades === 0) continue;
      rows.push([
        `${prefix}${name}`,
        String(l.closing_trades),
        signedMoney(l.realized_pnl),
        l.unrealized_pnl === null ? '—' : signedMoney(l.unrealized_pnl),
        percent(l.win_rate_pct, 1),
        ratio(l.profit_factor),
      ]);
    }
  };
  add('', b.by_symbol, false);
  add('sentiment ', b.by_sentiment, true);
  add('confidence ', b.by_confidence, true);
  const r = b.risk;
  return [
    '',
    'breakdowns (the account’s closing fills: by symbol, FinBERT sentiment and confidence quintile of the closing fill)',
    renderTable(BREAKDOWN_COLUMNS, rows),
    '',
    renderPairs([
      [
        'VaR / CVaR 95 %',
        `${percent(r.var_95 === null ? null : r.var_95 * 100)} / ${percent(r.cvar_95 === null ? null : r.cvar_95 * 100)} of a day (broker's daily returns, historical)`,
      ],
      [
        'exposure',
        `gross ${money(r.gross_exposure)} (${percent(r.gross_exposure_pct)}), net ${money(r.net_exposure)} (${percent(r.net_exposure_pct)}) of equity ${r.equity ?? '—'}`,
      ],
      [
        'largest position',
        r.largest_position === null
          ? '—'
          : `${r.largest_position}: ${percent(r.largest_position_pct)} of equity`,
      ],
    ]),
  ];
}

/**
 * Two groups: the account as the broker reports it, then trading by strategy from the ledger (each
 * strategy on its own lots, best total P&L first, and all of them together).
 */
export function renderPerformance(report: PerformanceReport): string {
  const strategies = Object.entries(report.strategies).sort(([an, a], [bn, b]) => {
    const d = Number(b.total_pnl) - Number(a.total_pnl); // display order only
    return d !== 0 ? d : an.localeCompare(bn);
  });
  const rows = strategies.map(([name, p]) => performanceRow(name, p));
  rows.push(performanceRow('all strategies', report.overall));
  return [
    ...brokerLines(report.broker),
    '',
    'trading by strategy (ledger) — each strategy on its own lots; P&L at the day’s marks; return = P&L / equity at the previous close',
    renderTable(PERFORMANCE_COLUMNS, rows),
    ...breakdownLines(report.breakdowns),
    ...renderMarks(report.marks),
    ...markNoteLines(report.mark_notes),
    '',
    renderPairs([
      ['as of', report.overall.as_of || '—'],
      [
        'definitions',
        'empyrical’s, over daily returns: Sharpe, Sortino and Calmar annualised over 252 days; fewer than 2 days: —',
      ],
    ]),
  ].join('\n');
}
