/** The suites' one `sleep` and `waitUntil`, shared with the packages' unit tests. */
export { sleep, waitUntil } from '@friren/observability/test-support';
