import { describe, expect, it } from 'vitest';
import { loadServerEnv } from './env.ts';

// The all-in-one process takes the API's Supabase Auth variables as they are (pnpm start reads them).
describe('the all-in-one configuration', () => {
  it('takes SUPABASE_JWT_SECRET, SUPABASE_URL and SUPABASE_ADMIN_CLAIM', () => {
    const env = loadServerEnv({
      SUPABASE_JWT_SECRET: 'a-project-jwt-secret-of-32-characters-or-more',
      SUPABASE_URL: 'https://abcd.supabase.co',
    });
    expect([env.SUPABASE_URL, env.SUPABASE_ADMIN_CLAIM]).toEqual(['https://abcd.supabase.co', 'app_metadata.role']);
  });

  it('stops on a bad one, naming it', () => {
    expect(() => loadServerEnv({ SUPABASE_JWT_SECRET: 'short', SUPABASE_URL: 'not a url' })).toThrow(
      /SUPABASE_JWT_SECRET[\s\S]*SUPABASE_URL/,
    );
  });
});
