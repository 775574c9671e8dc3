import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';
import { mailEnv, withMailRules } from './mail-env.ts';

const load = (source: Record<string, string>) => withMailRules(parseEnv(mailEnv, source), source);

describe('mail configuration', () => {
  it('is off without SMTP_URL, with reminders 24 h and 1 h before and the agenda in UTC', () => {
    expect(load({})).toEqual({ REMINDER_OFFSETS: [86_400_000, 3_600_000], OWNER_TIMEZONE: 'UTC' });
  });

  it('takes the documented forms', () => {
    const env = load({
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Coaching <hello@example.com>',
      OWNER_EMAIL: 'owner@example.com',
      REMINDER_OFFSETS: '15m, 30s,24h,15m',
      OWNER_TIMEZONE: 'Europe/Berlin',
      TEMPLATES_DIR: '/etc/calsync/templates',
    });
    expect(env).toMatchObject({ MAIL_FROM: 'Coaching <hello@example.com>', OWNER_TIMEZONE: 'Europe/Berlin' });
    expect(env.REMINDER_OFFSETS).toEqual([86_400_000, 900_000, 30_000]);
    expect(load({ MAIL_FROM: 'hello@example.com', SMTP_URL: 'smtp://127.0.0.1:2525' }).MAIL_FROM).toBe(
      'hello@example.com',
    );
  });

  it('reads an empty REMINDER_OFFSETS as no reminders', () => {
    expect(load({ REMINDER_OFFSETS: '' }).REMINDER_OFFSETS).toEqual([]);
    expect(load({ REMINDER_OFFSETS: '  ' }).REMINDER_OFFSETS).toEqual([]);
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@example.com' }, /SMTP_URL: expected smtp:\/\//],
    [{ SMTP_URL: 'not a url', MAIL_FROM: 'a@example.com' }, /SMTP_URL: /],
    [{ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'nobody' }, /MAIL_FROM: expected an address/],
    [{ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'Eve <a@example.com>\r\nBcc: all@example.com' }, /MAIL_FROM: /],
    [{ SMTP_URL: 'smtp://mail.example.com' }, /MAIL_FROM: required when SMTP_URL is set/],
    [{ OWNER_EMAIL: 'owner' }, /OWNER_EMAIL: expected an e-mail address/],
    [{ REMINDER_OFFSETS: '1h,soon' }, /REMINDER_OFFSETS: "soon" is not a duration/],
    [{ OWNER_TIMEZONE: 'Mars/Olympus' }, /OWNER_TIMEZONE: expected an IANA time zone/],
  ])('refuses %o naming the variable', (source, message) => {
    expect(() => load(source)).toThrow(EnvError);
    expect(() => load(source)).toThrow(message);
  });
});
