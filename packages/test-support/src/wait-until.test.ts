import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until.ts';

describe('waitUntil', () => {
  it('reads until the condition holds and returns the value that met it', async () => {
    let reads = 0;
    const value = await waitUntil(
      'the third read',
      async () => ++reads,
      (n) => n >= 3,
    );
    expect(value).toBe(3);
    expect(reads).toBe(3);
  });

  it('takes a truthy value as done when no condition is given', async () => {
    let reads = 0;
    const row: { id: string } = await waitUntil('a row', () => (++reads < 2 ? undefined : { id: 'r1' }));
    expect(row).toEqual({ id: 'r1' });
  });

  it('names what it waited for and the last value it read when the deadline passes', async () => {
    await expect(
      waitUntil(
        'the run to finish',
        () => ({ status: 'running' }),
        (run) => run.status === 'succeeded',
        { timeoutMs: 50 },
      ),
    ).rejects.toThrow('timed out after 50 ms waiting for the run to finish; last value: {"status":"running"}');
  });

  it('lets an error of the read through at once', async () => {
    await expect(waitUntil('a read that fails', () => Promise.reject(new Error('no database')))).rejects.toThrow(
      'no database',
    );
  });
});
