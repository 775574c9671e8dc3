import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fill, TemplateError, TemplateStore } from './templates.ts';

describe('templates', () => {
  it('escape values in HTML, keep them as they are in plain text, and take {{{raw}}} only as built', () => {
    const values = { name: '<b>Ann & "Bo"</b>', list: '<ul><li>x</li></ul>' };
    expect(fill('Hi {{name}} {{{list}}}', values, true, 't.html')).toBe(
      'Hi &lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt; <ul><li>x</li></ul>',
    );
    expect(fill('Hi {{ name }}', values, false, 't.txt')).toBe('Hi <b>Ann & "Bo"</b>');
  });

  it('refuse a value they do not have, naming the file and what there is', () => {
    expect(() => fill('Hi {{nmae}}', { name: 'Ann' }, false, '/x/reminder.txt')).toThrow(
      new TemplateError('template /x/reminder.txt uses {{nmae}}, which is not one of: name'),
    );
  });

  it('take TEMPLATES_DIR’s files one by one, a language’s own before the general one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'calsync-templates-'));
    await writeFile(join(dir, 'alert.txt'), 'Custom: {{summary}}');
    await writeFile(join(dir, 'alert.fr.subject.txt'), 'Alerte : {{summary}}');
    const store = new TemplateStore(dir);
    const values = { summary: 'sync failed', detail: 'why', problem: 'sync_failed:reconcile' };
    const english = await store.render('alert', values);
    expect(english).toMatchObject({ subject: 'calsync alert: sync failed', text: 'Custom: sync failed' });
    expect(english.html).toContain('<strong>calsync found a problem:</strong> sync failed.');
    expect((await store.render('alert', values, 'fr')).subject).toBe('Alerte : sync failed');
    await expect(store.render('nothing', values)).rejects.toThrow(/no template nothing\.subject\.txt in /);
  });
});
