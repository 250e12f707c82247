export type { AnalyticsTrigger } from './analytics-trigger.js';
export { BatchWriter, BatchWriterClosedError, type BatchWriterOptions } from './batch-writer.js';
export { type StartOptions, start, type TradeRecorder } from './recorder.js';
export { findRejected, type Patch, patchSchema, type ReplayOutcome, replayRejected } from './replay.js';
export {
  DEFAULT_RECORDER_SETTINGS,
  load as loadRecorderConfig,
  type RecorderSettings,
  recorderSettingsFromEnv,
} from './settings.js';
