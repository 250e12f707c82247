export { COMMANDS, run } from './cli.js';
export type { CliContext, Output } from './context.js';
export { DemoEngine, type DemoOptions, type DemoStats, fillToTrade } from './demo/engine.js';
export { EXIT } from './errors.js';
export { opsPorts } from './stack/ops-ports.js';
export { type BrokerSetup, SIMULATOR_WARNING } from './stack/simulator.js';
export { type Stack, type StackOptions, type StackUrls, startStack } from './stack/start-stack.js';
