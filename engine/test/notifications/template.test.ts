import { describe, expect, it } from 'vitest';
import { renderTemplate, validateTemplateContent } from '../../src/notifications/template.js';

const TZ = { timeZone: 'America/Los_Angeles' };

describe('notification templates', () => {
  it('accepts a well-formed template and names each problem of a bad one', () => {
    expect(validateTemplateContent({ title: 'T', subject: 'Case {{ case.number }}', text: 'See {{ link }}' })).toEqual([]);
    const problems = validateTemplateContent({ title: '', subject: 'A {{ secret.x }} {{ case.number', text: 'x', html: '', colour: 'red' });
    expect(problems).toEqual(expect.arrayContaining([
      { path: '/title', message: 'A title is required' },
      { path: '/subject', message: '{{ secret.x }}: a placeholder starts with one of case, document, vars, data, link' },
      expect.objectContaining({ path: '/subject', message: expect.stringContaining('"{{ case.number" is not a placeholder') }),
      { path: '/html', message: 'The HTML body, when given, must be non-empty text' },
      { path: '/colour', message: 'is not a template field (title, description, subject, text, html)' },
    ]));
    expect(validateTemplateContent({ title: 'T', subject: 'two\nlines', text: 'x' })).toEqual([{ path: '/subject', message: 'The subject must be one line' }]);
    expect(validateTemplateContent('nope')).toHaveLength(1);
  });

  it('fills placeholders; US dates; yes/no; lists; missing values stay empty', () => {
    const out = renderTemplate(
      { title: 'T', subject: 'Assignment {{ case.number }} due {{ data.due }}', text: 'DOB {{ case.data.dob }}; dual {{ case.data.dual }}; tags {{ data.tags }}; none [{{ data.none }}]' },
      { case: { number: 'A-000001', data: { dob: '2010-03-04', dual: true } }, data: { due: new Date('2031-01-07T07:30:00Z'), tags: ['a', 'b'] } },
      TZ,
    );
    expect(out.subject).toBe('Assignment A-000001 due 01/06/2031');
    expect(out.text).toBe('DOB 03/04/2010; dual Yes; tags a, b; none []');
  });

  it('escapes every value in the HTML body and keeps values out of the mail headers', () => {
    const hostile = '<script>alert(1)</script>" onclick="x';
    const out = renderTemplate(
      { title: 'T', subject: 'Re: {{ data.name }}', text: 'Hi {{ data.name }}\n\nbye', html: '<p>Hi <b>{{ data.name }}</b> <a href="{{ link }}">open</a></p>' },
      { data: { name: `${hostile}\r\nBcc: someone@example.org` }, link: 'http://localhost/cases/1' },
      TZ,
    );
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot; onclick=&quot;x');
    expect(out.html).toContain('<a href="http://localhost/cases/1">open</a>');
    expect(out.subject).not.toMatch(/[\r\n]/);
    expect(out.subject).toBe(`Re: ${hostile} Bcc: someone@example.org`);
    // Without an HTML body, the text becomes escaped paragraphs.
    const plain = renderTemplate({ title: 'T', subject: 's', text: 'Hi {{ data.name }}\n\nbye' }, { data: { name: '<i>x</i>' } }, TZ);
    expect(plain.html).toBe('<p>Hi &lt;i&gt;x&lt;/i&gt;</p><p>bye</p>');
  });
});
