import { describe, expect, it } from 'vitest';
import { loadApiEnv } from '../env.ts';

describe('the Supabase Auth variables', () => {
  it('are unset by default, with the admin claim at app_metadata.role', () => {
    const env = loadApiEnv({});
    expect([env.SUPABASE_JWT_SECRET, env.SUPABASE_URL, env.SUPABASE_ADMIN_CLAIM]).toEqual([
      undefined,
      undefined,
      'app_metadata.role',
    ]);
  });

  it('take the project URL without its trailing slash, and a custom claim path', () => {
    expect(
      loadApiEnv({ SUPABASE_URL: 'https://abcd.supabase.co/', SUPABASE_ADMIN_CLAIM: 'app_metadata.calsync.role' }),
    ).toMatchObject({ SUPABASE_URL: 'https://abcd.supabase.co', SUPABASE_ADMIN_CLAIM: 'app_metadata.calsync.role' });
  });

  it('refuse a bad value with a message naming the variable', () => {
    expect(() => loadApiEnv({ SUPABASE_JWT_SECRET: 'too-short' })).toThrow(
      /SUPABASE_JWT_SECRET: must be at least 32 characters/,
    );
    expect(() => loadApiEnv({ SUPABASE_URL: 'abcd.supabase.co' })).toThrow(/SUPABASE_URL: expected the project URL/);
    expect(() => loadApiEnv({ SUPABASE_URL: 'ftp://abcd.supabase.co' })).toThrow(/SUPABASE_URL/);
    expect(() => loadApiEnv({ SUPABASE_ADMIN_CLAIM: 'app_metadata..role' })).toThrow(
      /SUPABASE_ADMIN_CLAIM: expected a dotted claim path/,
    );
  });

  it('refuse an admin claim in user_metadata, which every user can write', () => {
    expect(() => loadApiEnv({ SUPABASE_ADMIN_CLAIM: 'user_metadata.role' })).toThrow(
      /SUPABASE_ADMIN_CLAIM: user_metadata is editable by every user/,
    );
  });
});
