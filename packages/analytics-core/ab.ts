import { AnalyticsAccumulator as Old } from '/tmp/oldcore/src/accumulator.js';
import { AnalyticsAccumulator } from './src/accumulator.js';
import { syntheticTrades } from './src/synthetic.js';

const trades = syntheticTrades(1_000_000, { symbols: 50, strategies: 5, seed: 42 });
const res: Record<string, number[]> = { old: [], new: [] };
for (let k = 0; k < 4; k++) {
  for (const [name, C] of [
    ['old', Old],
    ['new', AnalyticsAccumulator],
  ] as const) {
    const acc = new (C as any)();
    const c0 = process.cpuUsage();
    acc.addAll(trades);
    const c = process.cpuUsage(c0);
    res[name]!.push((c.user + c.system) / 1000);
  }
}
for (const [k, v] of Object.entries(res)) console.log(k, Math.min(...v).toFixed(0));
