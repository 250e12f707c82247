export {
  type CredentialChange,
  CredentialReloader,
  type CredentialReloaderOptions,
  type CredentialReloadResult,
} from './credential-reload.js';
export { accountCredentialVariables, type CredentialVariables } from './credentials.js';
export { DEFAULT_OPS_PORTS, ENV_DEFAULTS, FALLBACK_OPS_PORT } from './defaults.js';
export type { ReadFile } from './env-reader.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export { appConfigLoader, gatherConfig } from './gather.js';
export { type IntSetting, intSettingsFromEnv } from './int-settings.js';
export { type LoadConfigOptions, loadConfig } from './load-config.js';
export { redactUrl } from './redact-url.js';
export { type TradeClientTarget, tradeClientTarget } from './redis-target.js';
export {
  type AccountConfig,
  type AlpacaConfig,
  type AlpacaCredentials,
  type FrirenConfig,
  type HttpConfig,
  LOG_LEVELS,
  type LogLevel,
  type PnlMethod,
  type SnapshotConfig,
  type SubmitReplicasConfig,
} from './types.js';
