/**
 * Dates as external extracts write them: a layout of YYYY, MM (or M: one or two digits),
 * DD (or D) and separators, such as `MM/DD/YYYY`, read into an ISO date (YYYY-MM-DD).
 */

const TOKEN = /YYYY|MM|DD|M|D/g;

interface Layout {
  pattern: RegExp;
  order: ('Y' | 'M' | 'D')[];
}

const layouts = new Map<string, Layout | string>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(layout: string): Layout | string {
  const cached = layouts.get(layout);
  if (cached) return cached;
  const order: Layout['order'] = [];
  let source = '';
  let last = 0;
  for (const match of layout.matchAll(TOKEN)) {
    const between = layout.slice(last, match.index);
    if (/[A-Za-z0-9]/.test(between)) return `"${layout}" has letters or digits other than YYYY, MM, DD, M and D`;
    source += escapeRegExp(between);
    const token = match[0];
    source += token === 'YYYY' ? '(\\d{4})' : token.length === 2 ? '(\\d{2})' : '(\\d{1,2})';
    order.push(token[0] as 'Y' | 'M' | 'D');
    last = match.index + token.length;
  }
  const tail = layout.slice(last);
  if (/[A-Za-z0-9]/.test(tail)) return `"${layout}" has letters or digits other than YYYY, MM, DD, M and D`;
  source += escapeRegExp(tail);
  const compiled =
    order.length !== 3 || new Set(order).size !== 3 || layout.length > 20
      ? `"${layout}" must name the year (YYYY), month (MM or M) and day (DD or D) once each`
      : { pattern: new RegExp(`^${source}$`), order };
  layouts.set(layout, compiled);
  return compiled;
}

/** Why `layout` is not a usable date layout, or undefined when it is. */
export function dateFormatError(layout: string): string | undefined {
  const compiled = compile(layout);
  return typeof compiled === 'string' ? compiled : undefined;
}

function iso(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The ISO date `text` stands for in `layout` (an ISO date is accepted as well), or undefined. */
export function readDate(layout: string, text: string): string | undefined {
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (isoMatch) return iso(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]));
  const compiled = compile(layout);
  if (typeof compiled === 'string') return undefined;
  const match = compiled.pattern.exec(text);
  if (!match) return undefined;
  const parts: Record<string, number> = {};
  compiled.order.forEach((part, i) => {
    parts[part] = Number(match[i + 1]);
  });
  return iso(parts.Y, parts.M, parts.D);
}
