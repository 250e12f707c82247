export { type SimEnv, simEnv } from './env.js';
export type { AccountPatch } from './schemas.js';
export { type AlpacaSim, createAlpacaSim } from './sim.js';
export { DEFAULT_ACCOUNT_SEED } from './state.js';
export type {
  ActiveSimFault,
  JsonValue,
  SimAccountSeed,
  SimCallCounts,
  SimCallRecord,
  SimCredentials,
  SimEndpoint,
  SimFault,
  SimFaultKind,
  SimOptions,
  SimPositionSeed,
} from './types.js';
