export { type Poller, type PollerOptions, start } from './service.js';
export { deriveTuning, load as loadPollerConfig, type PollerTuning } from './settings.js';
export { type PollerState, STATUS as POLLER_STATUS_FIELDS } from './status-fields.js';
