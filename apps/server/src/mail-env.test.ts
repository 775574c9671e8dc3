import { EnvError } from '@calsync/service-kit';
import { describe, expect, it } from 'vitest';
import { loadServerEnv } from './env.ts';

describe('the all-in-one process’s mail settings', () => {
  it('requires MAIL_FROM with SMTP_URL, naming it, and reads an empty REMINDER_OFFSETS as none', () => {
    expect(() => loadServerEnv({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(EnvError);
    expect(() => loadServerEnv({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(/MAIL_FROM: required when SMTP_URL/);
    expect(() => loadServerEnv({ SMTP_URL: 'ftp://x', MAIL_FROM: 'a@example.com' })).toThrow(/SMTP_URL: /);
    expect(loadServerEnv({ REMINDER_OFFSETS: '' }).REMINDER_OFFSETS).toEqual([]);
    expect(loadServerEnv({}).REMINDER_OFFSETS).toEqual([86_400_000, 3_600_000]);
  });
});
