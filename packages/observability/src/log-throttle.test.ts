import { describe, expect, it } from 'vitest';
import { throttledLog } from './log-throttle.js';
import { createLogger } from './logger.js';
import { captureLines } from './test-support.js';

describe('throttledLog', () => {
  it('writes at most one line per interval and counts the ones it held back', async () => {
    const capture = captureLines();
    const log = throttledLog(
      createLogger({ name: 't', destination: capture.destination }),
      'warn',
      'redis down',
      40,
    );
    for (let i = 0; i < 5; i++) log(new Error('ECONNREFUSED'));
    await new Promise((r) => setTimeout(r, 50));
    log(new Error('ECONNREFUSED'), { attempt: 6 });
    const records = capture.records();
    expect(records.map((r) => [r.msg, r.suppressed, r.attempt])).toEqual([
      ['redis down', 0, undefined],
      ['redis down', 4, 6],
    ]);
  });
});
