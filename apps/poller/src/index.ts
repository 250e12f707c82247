export { type Poller, type PollerOptions, start } from './service.js';
export { type PollerState, STATUS as POLLER_STATUS_FIELDS } from './status-fields.js';
export { deriveTuning, type PollerTuning } from './tuning.js';
