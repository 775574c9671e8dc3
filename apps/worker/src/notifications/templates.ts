import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const BUILT_IN_DIR = join(import.meta.dirname, 'templates');

export type TemplateValues = Record<string, string>;

/** A rendered e-mail: subject, plain text and HTML. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** One template file as read: where it was found, and its text. */
interface TemplateFile {
  file: string;
  body: string;
}

/** A template asks for a value the renderer does not have, or no file of that name exists anywhere. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

/**
 * `{{name}}` is replaced by the value (HTML-escaped in `.html` files), `{{{name}}}` by the value as is (only for
 * fragments this code built and escaped itself). A name the values lack is an error naming the template: a typo in
 * an owner's template must not send "Hello {{nmae}}" to attendees.
 */
export function fill(template: string, values: TemplateValues, html: boolean, file: string): string {
  return template.replace(/\{\{(\{?)\s*([a-z_][a-z0-9_]*)\s*\}?\}\}/gi, (_match, raw: string, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new TemplateError(
        `template ${file} uses {{${name}}}, which is not one of: ${Object.keys(values).join(', ')}`,
      );
    return html && raw !== '{' ? escapeHtml(value) : value;
  });
}

/**
 * Reads templates by name: `<name>.subject.txt`, `<name>.txt`, `<name>.html`, each taken from TEMPLATES_DIR when that
 * folder has the file, else from the built-in ones; a language-specific file (`reminder.de.txt`) comes before the
 * general one in each folder. Files are read once and kept.
 */
export class TemplateStore {
  readonly #dirs: string[];
  readonly #cache = new Map<string, Promise<TemplateFile>>();

  constructor(overrideDir?: string) {
    this.#dirs = overrideDir ? [overrideDir, BUILT_IN_DIR] : [BUILT_IN_DIR];
  }

  async render(name: string, values: TemplateValues, language?: string): Promise<RenderedMail> {
    // Read together, reported in order: a template with several files missing always names its subject first.
    const settled = await Promise.allSettled([
      this.#load(name, 'subject.txt', language),
      this.#load(name, 'txt', language),
      this.#load(name, 'html', language),
    ]);
    const [subject, text, html] = settled.map((file) => {
      if (file.status === 'rejected') throw file.reason;
      return file.value;
    }) as [TemplateFile, TemplateFile, TemplateFile];
    return {
      subject: fill(subject.body, values, false, subject.file).trim().replace(/\s+/g, ' '),
      text: fill(text.body, values, false, text.file),
      html: fill(html.body, values, true, html.file),
    };
  }

  #load(name: string, extension: string, language?: string) {
    const key = `${name}.${extension}.${language ?? ''}`;
    let loaded = this.#cache.get(key);
    if (!loaded) {
      loaded = this.#find(name, extension, language);
      loaded.catch(() => this.#cache.delete(key));
      this.#cache.set(key, loaded);
    }
    return loaded;
  }

  async #find(name: string, extension: string, language?: string): Promise<TemplateFile> {
    const files = this.#dirs.flatMap((dir) => [
      ...(language ? [join(dir, `${name}.${language}.${extension}`)] : []),
      join(dir, `${name}.${extension}`),
    ]);
    for (const file of files) {
      try {
        return { file, body: await readFile(file, 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new TemplateError(`no template ${name}.${extension} in ${this.#dirs.join(' or ')}`);
  }
}
