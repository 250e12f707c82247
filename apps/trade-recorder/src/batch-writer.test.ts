import { sleep } from '@friren/observability/test-support';
import { describe, expect, it } from 'vitest';
import { BatchWriter, BatchWriterClosedError } from './batch-writer.js';

function recording(opts: { maxItems: number; maxWaitMs: number; maxInFlight?: number; delayMs?: number }) {
  const batches: number[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const writer = new BatchWriter<number, number>({
    ...opts,
    async write(items) {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      batches.push([...items]);
      await sleep(opts.delayMs ?? 0);
      concurrent--;
      return items.map((i) => i * 10);
    },
  });
  return { writer, batches, maxConcurrent: () => maxConcurrent };
}

describe('BatchWriter', () => {
  it('flushes at maxItems without waiting for the timer, each add getting its own result', async () => {
    const { writer, batches } = recording({ maxItems: 3, maxWaitMs: 10_000 });
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map((i) => writer.add(i)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('flushes a partial batch after maxWaitMs', async () => {
    const { writer, batches } = recording({ maxItems: 100, maxWaitMs: 20 });
    const started = performance.now();
    await Promise.all([writer.add(1), writer.add(2)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(batches).toEqual([[1, 2]]);
  });

  it('rejects every item of a failed batch and keeps working afterwards', async () => {
    let fail = true;
    const writer = new BatchWriter<number>({
      maxItems: 2,
      maxWaitMs: 5,
      async write(items) {
        if (fail) throw new Error('db down');
        return items.map(() => undefined);
      },
    });
    const a = writer.add(1);
    const b = writer.add(2);
    await expect(a).rejects.toThrow('db down');
    await expect(b).rejects.toThrow('db down');
    fail = false;
    await expect(writer.add(3)).resolves.toBeUndefined();
  });

  it('never has more than maxInFlight batches writing; items gather meanwhile', async () => {
    const { writer, batches, maxConcurrent } = recording({
      maxItems: 4,
      maxWaitMs: 1,
      maxInFlight: 2,
      delayMs: 15,
    });
    const adds: Promise<number>[] = [];
    for (let i = 0; i < 40; i++) {
      adds.push(writer.add(i));
      if (i % 5 === 0) await sleep(2);
    }
    const results = await Promise.all(adds);
    expect(results).toEqual(adds.map((_, i) => i * 10));
    expect(maxConcurrent()).toBe(2);
    expect(batches.flat()).toEqual([...Array(40).keys()]);
    for (const b of batches) expect(b.length).toBeLessThanOrEqual(4);
  });

  it('drain writes what is pending at once; close refuses new items', async () => {
    const { writer, batches } = recording({ maxItems: 100, maxWaitMs: 60_000 });
    const p = writer.add(7);
    await writer.close();
    await expect(p).resolves.toBe(70);
    expect(batches).toEqual([[7]]);
    await expect(writer.add(8)).rejects.toBeInstanceOf(BatchWriterClosedError);
  });

  it('fails the batch when write returns the wrong number of results', async () => {
    const writer = new BatchWriter<number, number>({ maxItems: 2, maxWaitMs: 1, write: async () => [1] });
    await expect(Promise.all([writer.add(1), writer.add(2)])).rejects.toThrow('1 results for 2 items');
  });
});
