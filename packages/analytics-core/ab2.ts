import { syntheticTrades } from './src/synthetic.js';
import { AnalyticsAccumulator } from './src/accumulator.js';
const trades = syntheticTrades(1_000_000, { symbols: 50, strategies: 5, seed: 42 });
for (let k = 0; k < 2; k++) {
const acc = new AnalyticsAccumulator();
const c0 = process.cpuUsage();
acc.addAll(trades);
const c = process.cpuUsage(c0);
console.log((c.user + c.system) / 1000);
}
