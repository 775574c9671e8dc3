import { describe, expect, it } from 'vitest';
import { lifecycle, lifecycleKinds } from './lifecycle.ts';
import { perturbStream } from './perturb.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely
type Json = Record<string, any>;

describe('lifecycle', () => {
  it('gives every story strictly increasing createdAt', () => {
    for (const kind of lifecycleKinds) {
      const times = lifecycle(kind, { seed: 3 }).map((d) => Date.parse(d.createdAt));
      for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    }
  });

  it('confirms a request with BOOKING_CREATED for the same uid', () => {
    const [requested, created] = lifecycle('request-confirm');
    expect(requested!.triggerEvent).toBe('BOOKING_REQUESTED');
    expect(created!.triggerEvent).toBe('BOOKING_CREATED');
    expect(created!.uid).toBe(requested!.uid);
    expect((created!.body as Json).payload.status).toBe('ACCEPTED');
  });

  it('chains reschedules: each new booking names the previous uid, and no CANCELLED is sent for old ones', () => {
    const chain = lifecycle('reschedule-chain', { seed: 9 });
    expect(chain.map((d) => d.triggerEvent)).toEqual(['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_RESCHEDULED']);
    const [a, b, c] = chain.map((d) => (d.body as Json).payload);
    expect(b.rescheduleUid).toBe(a.uid);
    expect(c.rescheduleUid).toBe(b.uid);
    expect(new Set([a.uid, b.uid, c.uid]).size).toBe(3);
  });

  it('is deterministic for a seed', () => {
    expect(lifecycle('reschedule-chain', { seed: 4 })).toEqual(lifecycle('reschedule-chain', { seed: 4 }));
  });
});

describe('perturbStream', () => {
  const stream = lifecycleKinds.flatMap((kind, i) => lifecycle(kind, { seed: i + 1 }));

  it('duplicates byte-identical deliveries, shuffles and delays, deterministically', () => {
    const options = { seed: 5, duplicateRate: 0.5, shuffle: true, delayMs: [0, 20] as [number, number] };
    const out = perturbStream(stream, options);
    expect(out).toEqual(perturbStream(stream, options));
    expect(out.length).toBeGreaterThan(stream.length);
    expect(new Set(out.map((d) => d.rawBody))).toEqual(new Set(stream.map((d) => d.rawBody)));
    expect(out.map((d) => d.rawBody)).not.toEqual(stream.map((d) => d.rawBody).slice(0, out.length));
    for (const d of out) expect(d.delayMs).toBeGreaterThanOrEqual(0);
    expect(stream.every((d) => d.delayMs === undefined)).toBe(true);
  });

  it('leaves the stream as it was with no options', () => {
    expect(perturbStream(stream)).toEqual(stream);
  });
});
