import { z } from 'zod';
import { duration, EnvError } from './env.ts';

// `hello@example.com` or `Coaching <hello@example.com>`; never a line break (it would start a new header).
const address = /^[^\s<>@"]+@[^\s<>@"]+\.[^\s<>@"]+$/;
const namedAddress = /^[^<>\r\n]*<\s*([^\s<>]+)\s*>$/;

function isMailbox(value: string): boolean {
  if (/[\r\n]/.test(value)) return false;
  const named = namedAddress.exec(value.trim());
  return address.test(named ? (named[1] ?? '') : value.trim());
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `24h,1h` → [86_400_000, 3_600_000], longest first, each once. */
const offsetList = z.string().transform((value, ctx) => {
  const offsets: number[] = [];
  if (value.trim() === '') return offsets;
  for (const item of value.split(',').map((s) => s.trim())) {
    const parsed = duration.safeParse(item);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `"${item.slice(0, 40)}" is not a duration like 30s, 15m or 24h` });
      return z.NEVER;
    }
    offsets.push(parsed.data);
  }
  return [...new Set(offsets)].sort((a, b) => b - a);
});

/**
 * E-mail out (reminders, owner alerts, the daily agenda): the variables of README "Configuration". Without SMTP_URL it
 * is all off.
 */
export const mailEnv = {
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected smtp://user:pass@host:port or smtps://…' }).optional(),
  MAIL_FROM: z
    .string()
    .refine(isMailbox, 'expected an address such as hello@example.com or Coaching <hello@example.com>')
    .optional(),
  OWNER_EMAIL: z.string().refine(isMailbox, 'expected an e-mail address such as owner@example.com').optional(),
  REMINDER_OFFSETS: offsetList.default([86_400_000, 3_600_000]),
  OWNER_TIMEZONE: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin').default('UTC'),
  TEMPLATES_DIR: z.string().min(1).optional(),
};

type MailEnv = { SMTP_URL?: string; MAIL_FROM?: string; REMINDER_OFFSETS: number[] };

/**
 * The rules between mail variables that a field alone cannot say: MAIL_FROM is required once SMTP_URL is set, and an
 * empty REMINDER_OFFSETS means no reminders (parseEnv reads an empty value as unset, which would mean the default).
 */
export function withMailRules<Env extends MailEnv>(env: Env, source: Record<string, string | undefined>): Env {
  if (env.SMTP_URL !== undefined && env.MAIL_FROM === undefined) {
    throw new EnvError(
      'invalid configuration:\n  MAIL_FROM: required when SMTP_URL is set (the sender of every e-mail)',
    );
  }
  const offsetsOff = source.REMINDER_OFFSETS !== undefined && source.REMINDER_OFFSETS.trim() === '';
  return offsetsOff ? { ...env, REMINDER_OFFSETS: [] } : env;
}
