import { runService } from '@friren/observability';
import { start } from './service.js';
import { load } from './settings.js';

await runService('analytics', load, start);
