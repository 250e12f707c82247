import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYMBOL_PATTERN, TRADE_ID_PATTERN } from './trade-fields.js';
import { parseTradeJob, tradeJobSchema } from './trade-job.js';
import { fastTradeJob } from './trade-job-fast.js';

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** Canonical decimals: no leading zeros, no trailing fraction zeros, within DECIMAL(38,9). */
const canonicalDecimal = fc
  .tuple(
    fc.oneof(
      fc.constant('0'),
      fc.tuple(fc.constantFrom(...'123456789'), digits(0, 28)).map(([a, b]) => a + b),
    ),
    fc.option(
      fc.tuple(digits(0, 8), fc.constantFrom(...'123456789')).map(([a, b]) => a + b),
      { nil: undefined },
    ),
  )
  .map(([int, frac]) => (frac === undefined ? int : `${int}.${frac}`));
const positiveDecimal = canonicalDecimal.filter((d) => d !== '0');

const canonicalTimestamp = fc
  .tuple(
    fc.integer({ min: 0, max: 253_402_300_799_000 }), // 1970 .. 9999-12-31T23:59:59
    fc.integer({ min: 0, max: 999_999 }),
  )
  .map(([ms, micros]) => `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`);

const jsonValue = fc.jsonValue({ maxDepth: 4 });

/** Jobs in the canonical form producers are asked to send: the fast path must take all of them. */
const canonicalJob = fc.record(
  {
    trade_id: fc.stringMatching(TRADE_ID_PATTERN),
    account: fc.stringMatching(/^[a-z0-9_-]{1,32}$/),
    symbol: fc.stringMatching(SYMBOL_PATTERN),
    side: fc.constantFrom('buy', 'sell'),
    quantity: positiveDecimal,
    price: positiveDecimal,
    timestamp: canonicalTimestamp,
    strategy_used: fc.string({ minLength: 1, maxLength: 64 }),
    finbert_sentiment: fc.option(fc.double({ min: -1, max: 1, noNaN: true })),
    confidence_score: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    fees: fc.option(canonicalDecimal),
    order_id: fc.option(fc.string({ minLength: 1, maxLength: 128 })),
    // Any JSON object within the size limit and without a key the schema forbids (near misses).
    metadata: fc.option(
      fc
        .dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 5 })
        .filter((m) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(m)))
        .filter((m) => Buffer.byteLength(JSON.stringify(m)) <= 4096),
    ),
  },
  {
    requiredKeys: [
      'trade_id',
      'account',
      'symbol',
      'side',
      'quantity',
      'price',
      'timestamp',
      'strategy_used',
    ],
  },
);

const DECIMAL_MISSES = [
  '0',
  '00',
  '01',
  '1.0',
  '1.',
  '.5',
  '-1',
  '-0',
  '+1',
  '1e5',
  ' 1',
  '1 ',
  '1,5',
  '0.0000000001',
  '0.000000001',
  `1${'0'.repeat(28)}`,
  `1${'0'.repeat(29)}`,
  `9${'9'.repeat(28)}.999999999`,
  0,
  1,
  1.5,
  1e-7,
  Number.NaN,
];
const TIMESTAMP_MISSES = [
  '2024-02-29T00:00:00.000000Z',
  '2023-02-29T00:00:00.000000Z',
  '2026-04-31T00:00:00.000000Z',
  '2100-02-29T00:00:00.000000Z',
  '2000-02-29T00:00:00.000000Z',
  '1969-12-31T23:59:59.999999Z',
  '1970-01-01T00:00:00.000000Z',
  '9999-12-31T23:59:59.999999Z',
  '2026-11-25T24:00:00.000000Z',
  '2026-11-25T23:60:00.000000Z',
  '2026-11-25T23:59:60.000000Z',
  '2026-13-01T00:00:00.000000Z',
  '2026-00-01T00:00:00.000000Z',
  '2026-11-00T00:00:00.000000Z',
  '2026-11-25T14:30:00.123456+00:00',
  '2026-11-25T14:30:00.1234567Z',
  '2026-11-25T14:30:00.12345Z',
  '2026-11-25T14:30:00Z',
  '2026-11-25 14:30:00.000000Z',
  1_700_000_000_000,
];
const STRING_MISSES = [
  '',
  'BUY',
  'buy ',
  'a'.repeat(32),
  'a'.repeat(33),
  'A'.repeat(21),
  'A'.repeat(22),
  'a'.repeat(64),
  'a'.repeat(65),
  'a'.repeat(128),
  'a'.repeat(129),
  '😀'.repeat(32),
  '😀'.repeat(33),
  '😀'.repeat(64),
  '😀'.repeat(65),
  '\ud800',
  'Main',
  'a b',
  'x;y',
  '__proto__',
  5,
];
const NUMBER_MISSES = [
  0,
  -0,
  1,
  -1,
  1.0000001,
  -1.0000001,
  0.5,
  -0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '0.5',
];
const METADATA_MISSES = [
  {},
  [],
  'text',
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  { constructor: 1 },
  { nested: { prototype: 1 } },
  { deep: JSON.parse(`${'['.repeat(31)}${']'.repeat(31)}`) as unknown },
  { deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) as unknown },
  { big: 'x'.repeat(4085) },
  { big: 'x'.repeat(5000) },
  { at: new Date(0) },
  { n: Number.NaN },
  { u: undefined },
  Object.create(null) as unknown,
];

/** Per field, values that are nearly right for it, where a lax fast path would go wrong. */
const MISSES: Record<string, readonly unknown[]> = {
  trade_id: STRING_MISSES,
  account: STRING_MISSES,
  symbol: STRING_MISSES,
  side: STRING_MISSES,
  quantity: DECIMAL_MISSES,
  price: DECIMAL_MISSES,
  timestamp: TIMESTAMP_MISSES,
  strategy_used: STRING_MISSES,
  finbert_sentiment: NUMBER_MISSES,
  confidence_score: NUMBER_MISSES,
  fees: DECIMAL_MISSES,
  order_id: STRING_MISSES,
  metadata: METADATA_MISSES,
  unknown_field: [1, null, undefined],
};

const edit = fc.constantFrom(...Object.keys(MISSES)).chain((field) =>
  fc.record({
    field: fc.constant(field),
    value: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...MISSES[field]!) },
      { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 130 }) },
      { weight: 1, arbitrary: fc.anything() },
    ),
    remove: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  }),
);

/** A canonical job with one or two fields replaced, removed or added. */
const mutatedJob = fc
  .tuple(canonicalJob, fc.array(edit, { minLength: 1, maxLength: 2 }))
  .map(([job, edits]) => {
    const out: Record<string, unknown> = { ...job };
    for (const { field, value, remove } of edits) {
      if (remove) delete out[field];
      else out[field] = value;
    }
    return out;
  });

function expectSameAsZod(input: unknown): 'fast' | 'zod' {
  const fast = fastTradeJob(input);
  const zod = tradeJobSchema.safeParse(input);
  if (fast === undefined) return 'zod';
  expect(zod.success, `fast path accepted what zod rejects: ${JSON.stringify(input)}`).toBe(true);
  if (!zod.success) return 'zod';
  expect(fast).toStrictEqual(zod.data);
  expect(Object.keys(fast)).toEqual(Object.keys(zod.data));
  return 'fast';
}

describe('fast trade-job path', () => {
  it('takes every canonical job and returns exactly what the zod schema returns', () => {
    fc.assert(
      fc.property(canonicalJob, (job) => {
        expect(expectSameAsZod(job)).toBe('fast');
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts what zod rejects, nor returns anything else, on near-miss and arbitrary input', () => {
    let fast = 0;
    fc.assert(
      fc.property(mutatedJob, (job) => {
        if (expectSameAsZod(job) === 'fast') fast++;
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.anything(), (x) => void expectSameAsZod(x)),
      { numRuns: 500 },
    );
    // The mutations keep some jobs valid (an optional field dropped, say): those stay on the fast path.
    expect(fast).toBeGreaterThan(100);
  });

  it('the clock-dependent future rule gives one verdict whichever path a job takes', () => {
    // The same instant as a canonical (fast path) timestamp and with a +01:00 offset (zod path).
    const now = Date.parse('2030-01-01T00:00:00Z');
    fc.assert(
      fc.property(canonicalJob, fc.integer({ min: 0, max: 600_000 }), (job, skew) => {
        const viaFast = parseTradeJob(job, { now, maxFutureSkewMs: skew });
        const ms = Date.parse(`${job.timestamp.slice(0, 23)}Z`);
        const shifted = new Date(ms + 3_600_000).toISOString().slice(0, 19);
        const offsetForm = `${shifted}.${job.timestamp.slice(20, 26)}+01:00`;
        const viaZod = parseTradeJob({ ...job, timestamp: offsetForm }, { now, maxFutureSkewMs: skew });
        expect(viaZod.ok).toBe(viaFast.ok);
        if (viaFast.ok && viaZod.ok) expect(viaZod.value).toStrictEqual(viaFast.value);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves non-canonical but valid jobs to zod, which normalises them', () => {
    const job = {
      trade_id: 't-1',
      account: 'main',
      symbol: 'AAPL',
      side: 'buy',
      quantity: 10,
      price: '010.50',
      timestamp: '2026-11-25T09:30:00.5-05:00',
      strategy_used: 'momentum',
    };
    expect(fastTradeJob(job)).toBeUndefined();
    expect(tradeJobSchema.parse(job)).toMatchObject({ quantity: '10', price: '10.5' });
  });
});
