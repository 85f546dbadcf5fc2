/**
 * Notification templates: a definition kind (`template`, versioned like forms) with a subject,
 * a plain-text body and optionally an HTML body, each with `{{ path }}` placeholders over the
 * case, the document, the process variables, extra data and the record's link. Values are
 * text: in the HTML body every value is escaped, so no placeholder can inject markup, and in the
 * subject line breaks are removed, so none can add a mail header.
 */
import type { FieldError } from '../errors.js';
import { isPlainObject } from '../json-pointer.js';

export interface TemplateContent {
  title: string;
  subject: string;
  text: string;
  html?: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** What placeholders may start with. */
export const TEMPLATE_ROOTS = ['case', 'document', 'vars', 'data', 'link'] as const;

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w]*(?:\.[\w-]+)*)\s*\}\}/g;
const SUBJECT_MAX = 200;

/** The placeholder paths of a template text, and anything that looks like a placeholder but is not one. */
function scan(text: string): { paths: string[]; malformed: string[] } {
  const paths = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const rest = text.replace(PLACEHOLDER, '');
  const malformed = [...rest.matchAll(/\{\{[^}]*\}?\}?/g)].map((m) => m[0]);
  return { paths, malformed };
}

export function validateTemplateContent(content: unknown): FieldError[] {
  if (!isPlainObject(content)) return [{ path: '', message: 'A template is a JSON object with a title, a subject and a text body' }];
  const problems: FieldError[] = [];
  for (const field of ['title', 'subject', 'text'] as const) {
    if (typeof content[field] !== 'string' || content[field].trim() === '') problems.push({ path: `/${field}`, message: `A ${field} is required` });
  }
  if (content.html !== undefined && (typeof content.html !== 'string' || content.html.trim() === '')) {
    problems.push({ path: '/html', message: 'The HTML body, when given, must be non-empty text' });
  }
  if (typeof content.subject === 'string' && content.subject.length > SUBJECT_MAX) {
    problems.push({ path: '/subject', message: `The subject must be at most ${SUBJECT_MAX} characters` });
  }
  if (typeof content.subject === 'string' && /[\r\n]/.test(content.subject)) {
    problems.push({ path: '/subject', message: 'The subject must be one line' });
  }
  for (const field of ['subject', 'text', 'html'] as const) {
    const value = content[field];
    if (typeof value !== 'string') continue;
    const { paths, malformed } = scan(value);
    for (const bad of malformed) problems.push({ path: `/${field}`, message: `"${bad}" is not a placeholder: write {{ case.number }}, {{ document.title }}, {{ link }} ...` });
    for (const path of paths) {
      const root = path.split('.')[0];
      if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
        problems.push({ path: `/${field}`, message: `{{ ${path} }}: a placeholder starts with one of ${TEMPLATE_ROOTS.join(', ')}` });
      }
    }
  }
  const extra = Object.keys(content).filter((k) => !['title', 'description', 'subject', 'text', 'html'].includes(k));
  for (const key of extra) problems.push({ path: `/${key}`, message: 'is not a template field (title, description, subject, text, html)' });
  return problems;
}

export interface RenderOptions {
  /** Dates are shown in this time zone, US style. */
  timeZone: string;
}

function lookup(context: Record<string, unknown>, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (!isPlainObject(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

function asText(value: unknown, options: RenderOptions): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toLocaleDateString('en-US', { timeZone: options.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  if (typeof value === 'string') {
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value); // a date field: US format
    return date ? `${date[2]}/${date[3]}/${date[1]}` : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value === true ? 'Yes' : value === false ? 'No' : value);
  if (Array.isArray(value)) return value.map((v) => asText(v, options)).filter(Boolean).join(', ');
  return '';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fill(text: string, context: Record<string, unknown>, encode: (value: string) => string, options: RenderOptions): string {
  return text.replace(PLACEHOLDER, (_m, path: string) => encode(asText(lookup(context, path), options)));
}

export function renderTemplate(template: TemplateContent, context: Record<string, unknown>, options: RenderOptions): RenderedMessage {
  const subject = fill(template.subject, context, (v) => v.replace(/[\r\n\t]+/g, ' '), options).trim();
  const text = fill(template.text, context, (v) => v, options);
  const html = template.html !== undefined
    ? fill(template.html, context, escapeHtml, options)
    : `<p>${escapeHtml(text).replace(/\r?\n\r?\n/g, '</p><p>').replace(/\r?\n/g, '<br>')}</p>`;
  return { subject, text, html };
}
