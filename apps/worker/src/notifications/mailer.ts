import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
}

/** The SMTP side, small so tests and the bench can count what went out. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** Why an SMTP send failed, as the dashboard shows it: the server's reply code when there was one. */
export function describeSmtpError(error: unknown): string {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const reply = e.response ?? e.message ?? String(error);
  return [e.responseCode, e.code, reply].filter(Boolean).join(' ').slice(0, 500);
}

/**
 * A pooled nodemailer transport on SMTP_URL. Timeouts are short so a server that hangs fails the send (and it is
 * retried) instead of holding the sender: a dead SMTP server must not stop other work.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      return { messageId: String(info.messageId ?? '') };
    },
    close: () => transport.close(),
  };
}
