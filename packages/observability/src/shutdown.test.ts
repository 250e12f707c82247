import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { installShutdown, runShutdownSteps } from './shutdown.js';
import { captureLines } from './test-support.js';

function testLogger() {
  const capture = captureLines();
  return { capture, logger: createLogger({ name: 'shutdown-test', destination: capture.destination }) };
}

describe('runShutdownSteps', () => {
  it('runs steps in order and goes on after a failing step', async () => {
    const { logger, capture } = testLogger();
    const order: string[] = [];
    const result = await runShutdownSteps(
      [
        { name: 'ops', run: () => void order.push('ops') },
        {
          name: 'worker',
          run: async () => {
            order.push('worker');
            throw new Error('worker close failed');
          },
        },
        { name: 'redis', run: async () => void order.push('redis') },
      ],
      1000,
      logger,
    );
    expect(order).toEqual(['ops', 'worker', 'redis']);
    expect(result).toEqual({ completed: true, hungStep: null, failedSteps: ['worker'] });
    const failed = capture.records().find((record) => record.msg === 'shutdown step failed');
    expect(failed).toMatchObject({ level: 'error', step: 'worker', err: { message: 'worker close failed' } });
  });

  it('stops at the deadline and names the hung step', async () => {
    const { logger, capture } = testLogger();
    const ran: string[] = [];
    const started = Date.now();
    const result = await runShutdownSteps(
      [
        { name: 'fast', run: () => void ran.push('fast') },
        { name: 'hangs', run: () => new Promise<void>(() => ran.push('hangs')) },
        { name: 'never', run: () => void ran.push('never') },
      ],
      100,
      logger,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ran).toEqual(['fast', 'hangs']);
    expect(result).toEqual({ completed: false, hungStep: 'hangs', failedSteps: [] });
    expect(capture.records().at(-1)).toMatchObject({ level: 'error', step: 'hangs', skipped: ['never'] });
  });
});

describe('installShutdown', () => {
  it('runs once on repeated signals and exits 0', async () => {
    const { logger } = testLogger();
    const exit = vi.fn();
    const run = vi.fn(async () => {});
    const handle = installShutdown({ logger, steps: [{ name: 'step', run }], signals: ['SIGUSR2'], exit });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      process.emit('SIGUSR2', 'SIGUSR2');
      await handle.shutdown('again');
      expect(run).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(0);
    } finally {
      handle.dispose();
    }
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('exits 0 after a failing step and 1 past the deadline', async () => {
    const { logger } = testLogger();
    const exitFailing = vi.fn();
    const failing = installShutdown({
      logger,
      signals: [],
      exit: exitFailing,
      steps: [{ name: 'bad', run: () => Promise.reject(new Error('nope')) }],
    });
    await failing.shutdown('test');
    expect(exitFailing).toHaveBeenCalledWith(0);

    const exitHung = vi.fn();
    const hung = installShutdown({
      logger,
      signals: [],
      exit: exitHung,
      deadlineMs: 50,
      steps: [{ name: 'hangs', run: () => new Promise<void>(() => {}) }],
    });
    await hung.shutdown('test');
    expect(exitHung).toHaveBeenCalledWith(1);
  });
});
