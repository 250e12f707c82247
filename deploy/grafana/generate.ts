/**
 * Source of the Grafana dashboards in ./dashboards/*.json (Account, Performance, Pipeline, Broker,
 * Cache). Edit here, then regenerate:
 *
 *   pnpm tsx deploy/grafana/generate.ts
 *
 * tests/deploy checks that the committed JSON equals this output, that every expression parses in
 * a real Prometheus, and that every panel uses the provisioned datasource.
 *
 * Metric names live in METRICS only; every panel filters on the `namespace` variable (Kubernetes:
 * friren-paper / friren-live; absent under compose, where "All" matches the missing label).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The uid provisioned in provisioning/datasources/prometheus.yaml. */
export const DATASOURCE_UID = 'friren-prometheus';

/** Every metric the dashboards read (docs/CONTRACT.md §6 and the apps' own). */
export const METRICS = {
  accountEquity: 'friren_account_equity',
  accountLastEquity: 'friren_account_last_equity',
  accountCash: 'friren_account_cash',
  accountBuyingPower: 'friren_account_buying_power',
  accountHealthy: 'friren_account_healthy',
  /** The live snapshot the poller last wrote (docs/CONTRACT.md §6). */
  snapshotAge: 'friren_snapshot_age_seconds',
  /** What readers (orchestrators, embedded AccountManagers) serve from memory. */
  servedSnapshotAge: 'friren_served_snapshot_age_seconds',
  pollerLeader: 'friren_poller_leader',
  pnlTotal: 'friren_pnl_total',
  sharpe: 'friren_sharpe_ratio',
  maxDrawdown: 'friren_max_drawdown_ratio',
  winRate: 'friren_win_rate_ratio',
  profitFactor: 'friren_profit_factor',
  sentimentPnl: 'friren_sentiment_pnl',
  sentimentWinRate: 'friren_sentiment_win_rate_ratio',
  queueJobs: 'friren_queue_jobs',
  tradesRecorded: 'friren_trades_recorded_total',
  tradesRejected: 'friren_trades_rejected_total',
  tradesConflicting: 'friren_trades_conflicting_total',
  tradesDuplicate: 'friren_trades_duplicate_total',
  commitLatency: 'friren_trade_commit_latency_seconds',
  batchSize: 'friren_trade_batch_size',
  recorderPaused: 'friren_recorder_paused',
  brokerRequests: 'friren_broker_requests_total',
  brokerDuration: 'friren_broker_request_duration_seconds',
  brokerTokens: 'friren_broker_rate_limit_tokens',
  cacheReads: 'friren_cache_reads_total',
  residentMemory: 'friren_process_resident_memory_bytes',
  eventLoopLagP99: 'friren_nodejs_eventloop_lag_p99_seconds',
  up: 'up',
} as const;

const DS = { type: 'prometheus', uid: DATASOURCE_UID } as const;
const RATE = '$__rate_interval';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Target {
  readonly expr: string;
  readonly legend?: string;
}

interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly type: 'timeseries' | 'stat' | 'bargauge';
  readonly targets: readonly Target[];
  readonly unit?: string;
  readonly width?: number;
  readonly height?: number;
  /** Stat/bargauge: thresholds as [value, color] steps after the base color. */
  readonly thresholds?: readonly (readonly [number, string])[];
  readonly baseColor?: string;
  readonly mappings?: readonly JsonObject[];
  readonly min?: number;
  readonly max?: number;
  readonly stack?: boolean;
}

interface Row {
  readonly row: string;
  readonly panels: readonly PanelSpec[];
}

/** `metric{namespace=~"$namespace",…}` with the given extra matchers. */
function sel(metric: string, ...matchers: string[]): string {
  return `${metric}{${['namespace=~"$namespace"', ...matchers].join(',')}}`;
}
const ACCOUNT = 'account=~"$account"';
const STRATEGY = 'strategy=~"$strategy"';
/** Analytics' performance gauges: `scope` tells the whole account, one strategy and the rest apart. */
const SCOPE_ACCOUNT = 'scope="account"';
const SCOPE_STRATEGY = 'scope="strategy"';
const SCOPE_OTHER = 'scope="other"';

function quantile(q: number, metric: string, by: string[] = [], ...matchers: string[]): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${sel(`${metric}_bucket`, ...matchers)}[${RATE}])))`;
}

function variable(name: string, label: string, query: string): JsonObject {
  return {
    name,
    label,
    type: 'query',
    datasource: DS,
    query: { query, refId: `${name}-values` },
    definition: query,
    refresh: 2,
    includeAll: true,
    allValue: '.*',
    multi: true,
    sort: 1,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    hide: 0,
  };
}

const NAMESPACE_VAR = variable('namespace', 'Namespace', `label_values(${METRICS.up}, namespace)`);
const ACCOUNT_VAR = variable('account', 'Account', `label_values(${sel(METRICS.accountEquity)}, account)`);
const STRATEGY_VAR = variable(
  'strategy',
  'Strategy',
  `label_values(${sel(METRICS.pnlTotal, ACCOUNT, SCOPE_STRATEGY)}, strategy)`,
);

function panelJson(id: number, spec: PanelSpec, gridPos: JsonObject): JsonObject {
  const defaults: JsonObject = {};
  if (spec.unit) defaults['unit'] = spec.unit;
  if (spec.min !== undefined) defaults['min'] = spec.min;
  if (spec.max !== undefined) defaults['max'] = spec.max;
  if (spec.mappings) defaults['mappings'] = [...spec.mappings];
  defaults['thresholds'] = {
    mode: 'absolute',
    steps: [
      { color: spec.baseColor ?? 'green', value: null },
      ...(spec.thresholds ?? []).map(([value, color]) => ({ color, value })),
    ],
  };
  if (spec.type === 'timeseries') {
    defaults['custom'] = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stack ? 30 : 10,
      showPoints: 'never',
      spanNulls: true,
      stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
    };
  }
  const options: JsonObject =
    spec.type === 'timeseries'
      ? {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
          tooltip: { mode: 'multi', sort: 'desc' },
        }
      : spec.type === 'stat'
        ? {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            colorMode: 'value',
            graphMode: 'area',
            justifyMode: 'auto',
            textMode: 'auto',
            orientation: 'auto',
          }
        : {
            reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
            orientation: 'horizontal',
            displayMode: 'gradient',
            showUnfilled: true,
          };
  return {
    id,
    type: spec.type,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    datasource: DS,
    gridPos,
    targets: spec.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DS,
      expr: t.expr,
      legendFormat: t.legend ?? '__auto',
      range: true,
      instant: false,
    })),
    fieldConfig: { defaults, overrides: [] },
    options,
  };
}

function dashboard(
  uid: string,
  title: string,
  description: string,
  variables: readonly JsonObject[],
  rows: readonly Row[],
): JsonObject {
  const panels: JsonObject[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.row,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const spec of row.panels) {
      const w = spec.width ?? 12;
      const h = spec.height ?? (spec.type === 'stat' ? 4 : 8);
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push(panelJson(id++, spec, { h, w, x, y }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    uid,
    title,
    description,
    tags: ['friren'],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    templating: { list: [...variables] },
    panels,
  };
}

const HEALTH_MAPPINGS: JsonObject[] = [
  {
    type: 'value',
    options: {
      '0': { text: 'Unhealthy', color: 'red', index: 0 },
      '1': { text: 'Healthy', color: 'green', index: 1 },
    },
  },
];

function accountDashboard(): JsonObject {
  const m = METRICS;
  const byAccount = (metric: string) => `max by (account) (${sel(metric, ACCOUNT)})`;
  const dayPnl = `${byAccount(m.accountEquity)} - ${byAccount(m.accountLastEquity)}`;
  const age = `min by (account) (${sel(m.snapshotAge, ACCOUNT)})`;
  const served = (agg: 'max' | 'min') => `${agg} by (account) (${sel(m.servedSnapshotAge, ACCOUNT)})`;
  return dashboard(
    'friren-account',
    'Friren / Account',
    'What the broker knows, as the poller last fetched it: equity, cash, buying power, day P&L, snapshot freshness.',
    [NAMESPACE_VAR, ACCOUNT_VAR],
    [
      {
        row: 'Now',
        panels: [
          {
            title: 'Equity',
            type: 'stat',
            unit: 'currencyUSD',
            width: 4,
            targets: [{ expr: byAccount(m.accountEquity), legend: '{{account}}' }],
          },
          {
            title: 'Cash',
            type: 'stat',
            unit: 'currencyUSD',
            width: 4,
            targets: [{ expr: byAccount(m.accountCash), legend: '{{account}}' }],
          },
          {
            title: 'Buying power',
            type: 'stat',
            unit: 'currencyUSD',
            width: 4,
            targets: [{ expr: byAccount(m.accountBuyingPower), legend: '{{account}}' }],
          },
          {
            title: 'Day P&L',
            description: 'equity − last_equity (the previous close), per account',
            type: 'stat',
            unit: 'currencyUSD',
            width: 4,
            baseColor: 'red',
            thresholds: [[0, 'green']],
            targets: [{ expr: dayPnl, legend: '{{account}}' }],
          },
          {
            title: 'Snapshot age',
            description:
              'Age of the live snapshot the poller last wrote (the freshest leader). Alert above 2 × SNAPSHOT_REFRESH_MS (60 s).',
            type: 'stat',
            unit: 's',
            width: 4,
            thresholds: [
              [30, 'yellow'],
              [60, 'red'],
            ],
            targets: [{ expr: age, legend: '{{account}}' }],
          },
          {
            title: 'Health',
            type: 'stat',
            width: 4,
            baseColor: 'red',
            thresholds: [[1, 'green']],
            mappings: HEALTH_MAPPINGS,
            targets: [
              { expr: `min by (account) (${sel(m.accountHealthy, ACCOUNT)})`, legend: '{{account}}' },
            ],
          },
        ],
      },
      {
        row: 'Over time',
        panels: [
          {
            title: 'Equity',
            type: 'timeseries',
            unit: 'currencyUSD',
            targets: [{ expr: byAccount(m.accountEquity), legend: '{{account}}' }],
          },
          {
            title: 'Cash and buying power',
            type: 'timeseries',
            unit: 'currencyUSD',
            targets: [
              { expr: byAccount(m.accountCash), legend: '{{account}} cash' },
              { expr: byAccount(m.accountBuyingPower), legend: '{{account}} buying power' },
            ],
          },
          {
            title: 'Day P&L',
            type: 'timeseries',
            unit: 'currencyUSD',
            targets: [{ expr: dayPnl, legend: '{{account}}' }],
          },
          {
            title: 'Snapshot age: written and served',
            description:
              'Written: the poller’s live snapshot. Served: what readers hold in memory (oldest and newest reader); a served age above the written one means updates do not arrive, a negative one a clock ahead of the reader’s (skew).',
            type: 'timeseries',
            unit: 's',
            thresholds: [[60, 'red']],
            targets: [
              { expr: age, legend: '{{account}} written' },
              { expr: served('max'), legend: '{{account}} served, oldest reader' },
              { expr: served('min'), legend: '{{account}} served, newest reader' },
            ],
          },
          {
            title: 'Poller leaders',
            description: 'Pollers holding the lease per account: exactly 1 when all is well.',
            type: 'timeseries',
            min: 0,
            targets: [{ expr: `sum by (account) (${sel(m.pollerLeader, ACCOUNT)})`, legend: '{{account}}' }],
          },
          {
            title: 'Health',
            type: 'timeseries',
            min: 0,
            max: 1,
            mappings: HEALTH_MAPPINGS,
            targets: [
              { expr: `min by (account) (${sel(m.accountHealthy, ACCOUNT)})`, legend: '{{account}}' },
            ],
          },
        ],
      },
    ],
  );
}

function performanceDashboard(): JsonObject {
  const m = METRICS;
  const legend = '{{account}} / {{strategy}}';
  /** One strategy's series, plus the whole account's (and for P&L the strategies beyond the exported ones). */
  const perStrategy = (metric: string, abs = false): Target[] => {
    const f = (x: string) => (abs ? `abs(${x})` : x);
    const targets: Target[] = [
      { expr: `max by (account, strategy) (${f(sel(metric, ACCOUNT, SCOPE_STRATEGY, STRATEGY))})`, legend },
      {
        expr: `max by (account) (${f(sel(metric, ACCOUNT, SCOPE_ACCOUNT))})`,
        legend: '{{account}} (whole account)',
      },
    ];
    if (metric === m.pnlTotal) {
      targets.push({
        expr: `max by (account) (${sel(metric, ACCOUNT, SCOPE_OTHER)})`,
        legend: '{{account}} / other strategies',
      });
    }
    return targets;
  };
  return dashboard(
    'friren-performance',
    'Friren / Performance',
    'What only we know: P&L and ratios per account and strategy from the ledger (analytics worker), and P&L by FinBERT sentiment.',
    [NAMESPACE_VAR, ACCOUNT_VAR, STRATEGY_VAR],
    [
      {
        row: 'Per strategy, now',
        panels: [
          {
            title: 'Total P&L',
            type: 'bargauge',
            unit: 'currencyUSD',
            width: 8,
            baseColor: 'red',
            thresholds: [[0, 'green']],
            targets: perStrategy(m.pnlTotal),
          },
          {
            title: 'Sharpe ratio',
            type: 'bargauge',
            width: 8,
            baseColor: 'red',
            thresholds: [
              [0, 'yellow'],
              [1, 'green'],
            ],
            targets: perStrategy(m.sharpe),
          },
          {
            title: 'Max drawdown',
            description: 'Magnitude of the largest peak-to-trough fall. Alert above 20 %.',
            type: 'bargauge',
            unit: 'percentunit',
            width: 8,
            thresholds: [
              [0.1, 'yellow'],
              [0.2, 'red'],
            ],
            targets: perStrategy(m.maxDrawdown, true),
          },
        ],
      },
      {
        row: 'Over time',
        panels: [
          {
            title: 'Total P&L',
            type: 'timeseries',
            unit: 'currencyUSD',
            targets: perStrategy(m.pnlTotal),
          },
          { title: 'Sharpe ratio', type: 'timeseries', targets: perStrategy(m.sharpe) },
          {
            title: 'Max drawdown',
            type: 'timeseries',
            unit: 'percentunit',
            thresholds: [[0.2, 'red']],
            targets: perStrategy(m.maxDrawdown, true),
          },
          {
            title: 'Win rate',
            type: 'timeseries',
            unit: 'percentunit',
            min: 0,
            max: 1,
            targets: perStrategy(m.winRate),
          },
          {
            title: 'Profit factor',
            type: 'timeseries',
            min: 0,
            targets: perStrategy(m.profitFactor),
          },
          {
            title: 'Trades recorded per minute',
            type: 'timeseries',
            unit: 'short',
            targets: [
              {
                expr: `sum by (account, strategy) (rate(${sel(m.tradesRecorded, ACCOUNT, STRATEGY)}[${RATE}])) * 60`,
                legend,
              },
            ],
          },
        ],
      },
      {
        row: 'Sentiment attribution',
        panels: [
          {
            title: 'Realized P&L by sentiment',
            description:
              'FinBERT sentiment at entry: negative < −0.2 ≤ neutral ≤ 0.2 < positive; unknown when absent.',
            type: 'bargauge',
            unit: 'currencyUSD',
            baseColor: 'red',
            thresholds: [[0, 'green']],
            targets: [
              {
                expr: `max by (account, sentiment) (${sel(m.sentimentPnl, ACCOUNT)})`,
                legend: '{{account}} / {{sentiment}}',
              },
            ],
          },
          {
            title: 'Win rate by sentiment',
            type: 'bargauge',
            unit: 'percentunit',
            min: 0,
            max: 1,
            baseColor: 'red',
            thresholds: [[0.5, 'green']],
            targets: [
              {
                expr: `max by (account, sentiment) (${sel(m.sentimentWinRate, ACCOUNT)})`,
                legend: '{{account}} / {{sentiment}}',
              },
            ],
          },
        ],
      },
    ],
  );
}

function pipelineDashboard(): JsonObject {
  const m = METRICS;
  const queueJobs = `max by (queue, state) (${sel(m.queueJobs)})`;
  return dashboard(
    'friren-pipeline',
    'Friren / Pipeline',
    'Trades from the BullMQ queue into MySQL: queue depth, throughput, group-commit latency, rejections, workers.',
    [NAMESPACE_VAR, ACCOUNT_VAR],
    [
      {
        row: 'Queues',
        panels: [
          {
            title: 'Backlog (waiting + prioritized)',
            description: 'What KEDA scales the workers on.',
            type: 'stat',
            width: 6,
            height: 8,
            thresholds: [
              [100, 'yellow'],
              [1000, 'red'],
            ],
            targets: [
              {
                expr: `sum by (queue) (max by (queue, state) (${sel(m.queueJobs, 'state=~"waiting|prioritized"')}))`,
                legend: '{{queue}}',
              },
            ],
          },
          {
            title: 'Queue depth by state',
            type: 'timeseries',
            width: 18,
            targets: [{ expr: queueJobs, legend: '{{queue}} {{state}}' }],
          },
        ],
      },
      {
        row: 'Throughput and latency',
        panels: [
          {
            title: 'Trades recorded per second',
            type: 'timeseries',
            unit: 'ops',
            stack: true,
            targets: [
              {
                expr: `sum by (account) (rate(${sel(m.tradesRecorded, ACCOUNT)}[${RATE}]))`,
                legend: '{{account}}',
              },
            ],
          },
          {
            title: 'Commit latency (queued → durable)',
            type: 'timeseries',
            unit: 's',
            targets: [
              { expr: quantile(0.5, m.commitLatency), legend: 'p50' },
              { expr: quantile(0.9, m.commitLatency), legend: 'p90' },
              { expr: quantile(0.99, m.commitLatency), legend: 'p99' },
            ],
          },
          {
            title: 'Rejected trades per second by reason',
            type: 'timeseries',
            unit: 'ops',
            stack: true,
            targets: [
              { expr: `sum by (reason) (rate(${sel(m.tradesRejected)}[${RATE}]))`, legend: '{{reason}}' },
            ],
          },
          {
            title: 'Conflicting trades and redeliveries',
            description:
              'Conflicting: a trade under an (account, trade_id) the ledger holds with other values, kept in rejected_trades (alert FrirenTradeConflicting). Redeliveries: the same trade again, harmless.',
            type: 'timeseries',
            unit: 'short',
            min: 0,
            targets: [
              {
                expr: `sum by (account) (increase(${sel(m.tradesConflicting, ACCOUNT)}[${RATE}]))`,
                legend: 'conflicting {{account}}',
              },
              { expr: `sum(increase(${sel(m.tradesDuplicate)}[${RATE}]))`, legend: 'redeliveries' },
            ],
          },
          {
            title: 'Group-commit batch size',
            type: 'timeseries',
            unit: 'short',
            targets: [
              { expr: quantile(0.5, m.batchSize), legend: 'p50' },
              { expr: quantile(0.99, m.batchSize), legend: 'p99' },
            ],
          },
          {
            title: 'Recorders paused (database not answering)',
            description: 'A failed commit holds a recorder from taking trades until SELECT 1 answers again.',
            type: 'timeseries',
            min: 0,
            targets: [{ expr: `sum(${sel(m.recorderPaused)})`, legend: 'paused' }],
          },
        ],
      },
      {
        row: 'Workers',
        panels: [
          {
            title: 'Instances up',
            type: 'timeseries',
            min: 0,
            targets: [{ expr: `sum by (job) (${sel(m.up, 'job=~"friren-.+"')})`, legend: '{{job}}' }],
          },
          {
            title: 'Resident memory',
            type: 'timeseries',
            unit: 'bytes',
            width: 6,
            targets: [
              { expr: `max by (job, instance) (${sel(m.residentMemory)})`, legend: '{{job}} {{instance}}' },
            ],
          },
          {
            title: 'Event loop lag p99',
            type: 'timeseries',
            unit: 's',
            width: 6,
            targets: [
              { expr: `max by (job, instance) (${sel(m.eventLoopLagP99)})`, legend: '{{job}} {{instance}}' },
            ],
          },
        ],
      },
    ],
  );
}

function brokerDashboard(): JsonObject {
  const m = METRICS;
  const calls = (matcher?: string) =>
    `rate(${matcher ? sel(m.brokerRequests, matcher) : sel(m.brokerRequests)}[${RATE}])`;
  return dashboard(
    'friren-broker',
    'Friren / Broker',
    'Alpaca calls made by the pollers: outcomes, the shared rate-limit bucket, latency.',
    [NAMESPACE_VAR],
    [
      {
        row: 'Calls',
        panels: [
          {
            title: 'Calls per second by outcome',
            type: 'timeseries',
            unit: 'reqps',
            stack: true,
            targets: [{ expr: `sum by (outcome) (${calls()})`, legend: '{{outcome}}' }],
          },
          {
            title: 'Calls per second by endpoint',
            type: 'timeseries',
            unit: 'reqps',
            stack: true,
            targets: [{ expr: `sum by (endpoint) (${calls()})`, legend: '{{endpoint}}' }],
          },
          {
            title: 'Error ratio',
            type: 'timeseries',
            unit: 'percentunit',
            min: 0,
            thresholds: [[0.1, 'red']],
            targets: [{ expr: `sum(${calls('outcome!="ok"')}) / sum(${calls()})`, legend: 'errors' }],
          },
          {
            title: '429 and auth failures (last hour)',
            type: 'stat',
            height: 8,
            thresholds: [[1, 'red']],
            targets: [
              {
                expr: `sum by (outcome) (increase(${sel(m.brokerRequests, 'outcome=~"rate-limited|auth"')}[1h]))`,
                legend: '{{outcome}}',
              },
            ],
          },
        ],
      },
      {
        row: 'Rate limit and latency',
        panels: [
          {
            title: 'Rate-limit tokens left',
            description: 'Shared Redis token bucket per API key (ALPACA_RATE_LIMIT_PER_MIN).',
            type: 'timeseries',
            min: 0,
            targets: [
              { expr: `min without (instance, pod, job) (${sel(m.brokerTokens)})`, legend: '__auto' },
            ],
          },
          {
            title: 'Latency by endpoint',
            type: 'timeseries',
            unit: 's',
            targets: [
              { expr: quantile(0.5, m.brokerDuration, ['endpoint']), legend: '{{endpoint}} p50' },
              { expr: quantile(0.99, m.brokerDuration, ['endpoint']), legend: '{{endpoint}} p99' },
            ],
          },
        ],
      },
    ],
  );
}

function cacheDashboard(): JsonObject {
  const m = METRICS;
  const reads = (matcher?: string) =>
    `sum(rate(${matcher ? sel(m.cacheReads, matcher) : sel(m.cacheReads)}[${RATE}]))`;
  return dashboard(
    'friren-cache',
    'Friren / Cache',
    'AccountManager reads by layer: memory (the crisis path), Redis, the last-good copy, miss.',
    [NAMESPACE_VAR],
    [
      {
        row: 'Reads',
        panels: [
          {
            title: 'Memory hit ratio',
            type: 'stat',
            unit: 'percentunit',
            width: 8,
            baseColor: 'red',
            thresholds: [
              [0.9, 'yellow'],
              [0.99, 'green'],
            ],
            targets: [{ expr: `${reads('layer="memory"')} / ${reads()}`, legend: 'memory' }],
          },
          {
            title: 'Served ratio (not miss)',
            type: 'stat',
            unit: 'percentunit',
            width: 8,
            baseColor: 'red',
            thresholds: [[0.999, 'green']],
            targets: [{ expr: `${reads('layer!="miss"')} / ${reads()}`, legend: 'served' }],
          },
          {
            title: 'Last-good share',
            description: 'Reads answered from the crisis fallback: the live snapshot had expired.',
            type: 'stat',
            unit: 'percentunit',
            width: 8,
            thresholds: [
              [0.01, 'yellow'],
              [0.1, 'red'],
            ],
            targets: [{ expr: `${reads('layer="last-good"')} / ${reads()}`, legend: 'last-good' }],
          },
          {
            title: 'Reads per second by layer',
            type: 'timeseries',
            unit: 'reqps',
            stack: true,
            width: 16,
            targets: [{ expr: `sum by (layer) (rate(${sel(m.cacheReads)}[${RATE}]))`, legend: '{{layer}}' }],
          },
          {
            title: 'Reads by layer (time range)',
            type: 'bargauge',
            unit: 'short',
            width: 8,
            targets: [
              { expr: `sum by (layer) (increase(${sel(m.cacheReads)}[$__range]))`, legend: '{{layer}}' },
            ],
          },
        ],
      },
    ],
  );
}

/** File name → dashboard. */
export function buildDashboards(): Record<string, JsonObject> {
  return {
    'account.json': accountDashboard(),
    'performance.json': performanceDashboard(),
    'pipeline.json': pipelineDashboard(),
    'broker.json': brokerDashboard(),
    'cache.json': cacheDashboard(),
  };
}

/** The exact text written for a dashboard (tests compare the committed files with it). */
export function renderDashboard(dashboard: JsonObject): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('./dashboards/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [file, dashboard] of Object.entries(buildDashboards())) {
    writeFileSync(`${dir}${file}`, renderDashboard(dashboard));
    console.log(`wrote deploy/grafana/dashboards/${file}`);
  }
}
