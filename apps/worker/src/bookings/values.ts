/**
 * Value rules shared by every mapping from Cal.com shapes to rows: what calsync stores as a link, how it reads empty
 * text, and text PostgreSQL cannot hold.
 */

/** The value when it is an absolute http(s) URL, else null: `meeting_url` is served as a link, so nothing else goes there. */
export function httpUrl(value: string | null | undefined): string | null {
  // Most values (an address, a phone number, "integrations:daily") are no URL at all: not worth parsing.
  if (!value || !/^\s*https?:/i.test(value)) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Cal.com sends `""` for reasons nobody gave: calsync stores null. */
export function textOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? value! : null;
}

// NUL is not allowed in PostgreSQL text or jsonb; a lone UTF-16 surrogate is not valid Unicode (jsonb refuses it).
const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Parsed JSON in which every string (keys too) is text PostgreSQL can store: NUL removed, lone surrogates replaced by
 * U+FFFD. The raw body is kept as received; only what is derived from it is cleaned. Almost every value is storable
 * already and is returned as it is: a sync writes thousands per minute, and copying each one cost more than the rest
 * of its mapping.
 */
export function storableJson<T>(value: T): T {
  return isStorable(value) ? value : cleanedCopy(value);
}

/** Whether every string in `value`, keys too, is storable as it is (a walk that allocates nothing). */
function isStorable(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorable);
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!isStorableText(key) || !isStorable((value as Record<string, unknown>)[key])) return false;
    }
  }
  return true;
}

function isStorableText(text: string): boolean {
  return !text.includes(NUL) && text.isWellFormed();
}

function cleanedCopy<T>(value: T): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (Array.isArray(value)) return value.map(cleanedCopy) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[cleanString(key)] = cleanedCopy(item);
    return out as T;
  }
  return value;
}

function cleanString(text: string): string {
  const withoutNul = text.includes(NUL) ? text.replaceAll(NUL, '') : text;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.replace(LONE_SURROGATE, '\uFFFD');
}
