import { describe, expect, it } from 'vitest';
import { fillActivitiesSchema, fillActivitySchema } from './fill-activity-schema.js';

/** The sample trade activity of Alpaca's account activities reference, as the page gives it. */
const ALPACA_DOCS_FILL = `{
  "activity_type": "FILL",
  "cum_qty": "1",
  "id": "20190524113406977::8efc7b9a-8b2b-4000-9955-d36e7db0df74",
  "leaves_qty": "0",
  "price": "1.63",
  "qty": "1",
  "side": "buy",
  "symbol": "LPCN",
  "transaction_time": "2019-05-24T15:34:06.977Z",
  "order_id": "904837e3-3b76-47ec-b432-046db621571b",
  "type": "fill"
}`;

describe('fillActivitySchema', () => {
  it("accepts Alpaca's own documentation example, decimals kept as sent", () => {
    const [fill] = fillActivitiesSchema.parse([JSON.parse(ALPACA_DOCS_FILL)]);
    expect(fill).toEqual(JSON.parse(ALPACA_DOCS_FILL));
    expect(fill!.price).toBe('1.63');
  });

  it('keeps fields it does not use as sent, whatever their type', () => {
    const odd = {
      ...JSON.parse(ALPACA_DOCS_FILL),
      cum_qty: 1,
      leaves_qty: null,
      type: 3,
      order_status: { s: 'filled' },
      account_id: 'c8f1ef5d-edc0-4f23-9ee4-378f19cb92a4',
    };
    expect(fillActivitySchema.parse(odd)).toEqual(odd);
  });

  it('stays strict for what matching a fill needs', () => {
    const body = JSON.parse(ALPACA_DOCS_FILL);
    expect(fillActivitySchema.safeParse({ ...body, qty: 1 }).success).toBe(false);
    expect(fillActivitySchema.safeParse({ ...body, price: 1.63 }).success).toBe(false);
    expect(fillActivitySchema.safeParse({ ...body, id: '' }).success).toBe(false);
    expect(fillActivitySchema.safeParse({ ...body, activity_type: 'DIV' }).success).toBe(false);
    expect(fillActivitySchema.safeParse({ ...body, order_id: 42 }).success).toBe(false);
  });
});
