export { openRedis } from './open.js';
export { parseSentinelList, type SentinelSettings } from './sentinel.js';
