import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../src/keyed-queue.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('runs work on one key one at a time, in order, and work on other keys at once', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const job = (name: string, key: string) => queue.run(key, async () => {
      log.push(`${name} start`);
      await tick();
      await tick();
      log.push(`${name} end`);
      return name;
    });
    const results = await Promise.all([job('a1', 'a'), job('b1', 'b'), job('a2', 'a')]);
    expect(results).toEqual(['a1', 'b1', 'a2']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    await tick();
    expect(queue.size).toBe(0);
  });

  it('goes on with the next work on a key after one fails, and passes the failure to its caller', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', async () => {
      throw new Error('refused');
    });
    const next = queue.run('k', async () => 'ran');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
  });
});
