import type { z } from 'zod';

/** A delivery whose shape we cannot use; `path` names the field (e.g. `payload.uid`). */
export class WebhookShapeError extends Error {
  override name = 'WebhookShapeError';
  readonly path: string;

  constructor(path: string, message: string) {
    super(path ? `${path} ${message}` : message);
    this.path = path;
  }

  static fromZod(error: z.ZodError, prefix = ''): WebhookShapeError {
    const issue = error.issues[0];
    const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
    return new WebhookShapeError(path, describeIssue(issue));
  }
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  if (issue.code === 'invalid_type')
    return `must be ${article(issue.expected)}${issue.input === undefined ? ' (missing)' : ''}`;
  return `is invalid: ${issue.message}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
