import { describe, expect, it } from 'vitest';
import * as keys from './redis-keys.ts';

// Keys outlive a deploy (sessions, the budget, seen-markers): renaming one silently forgets what Redis holds, so the
// layout is pinned here.
describe('redis keys', () => {
  it('every key starts with the prefix and keeps its layout', () => {
    expect(keys.calBudgetKeyPrefix('p')).toBe('p:cal-budget');
    expect(keys.deliverySeenKey('p', 'd1')).toBe('p:delivery-seen:d1');
    expect(keys.sweeperCursorKey('p', 'received')).toBe('p:sweeper:received-cursor');
    expect(keys.sweeperCursorKey('p', 'failed')).toBe('p:sweeper:failed-cursor');
    expect(keys.availabilityVersionKey('p', '7')).toBe('p:availability:version:7');
    expect(keys.availabilitySlotsKey('p', '7', '3', 'abc')).toBe('p:availability:slots:7:v3:abc');
    expect(keys.availabilityMissesKey('p', '10.0.0.1', 42)).toBe('p:availability:misses:10.0.0.1:42');
    expect(keys.authFailuresKey('p', '10.0.0.1')).toBe('p:auth-failures:10.0.0.1');
    expect(keys.dashboardSessionKey('p', 's1')).toBe('p:dashboard:session:s1');
    expect(keys.adminActionKey('p', 'key', 'h')).toBe('p:admin-actions:key:h');
    expect(keys.adminActionKey('p', 'derived', 'h')).toBe('p:admin-actions:derived:h');
    expect(keys.publicRateLimitNamespace('p')).toBe('p:rate-limit:');
    expect(keys.bullFailedSetKey('p', 'webhooks')).toBe('p:webhooks:failed');
  });
});
