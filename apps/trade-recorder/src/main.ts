import { runService } from '@friren/observability';
import { start } from './recorder.js';
import { load } from './settings.js';

await runService('trade-recorder', load, start);
