/** A report result as CSV (RFC 4180, CRLF), produced line by line so large results stream. */
import type { ReportColumn } from './report-definition.js';
import type { ReportResult, Row } from './report-service.js';

/** A cell as text: numbers as they are, booleans Yes/No, nothing for null. */
export function cellText(column: ReportColumn, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function quoted(text: string, isText: boolean): string {
  // A text cell starting like a formula is kept as text by spreadsheets (no formula injection).
  const safe = isText && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(columns: ReportColumn[], row: Row): string {
  return `${columns.map((c) => quoted(cellText(c, row[c.key]), typeof row[c.key] === 'string')).join(',')}\r\n`;
}

export function* csvLines(result: ReportResult): Generator<string> {
  yield `${result.columns.map((c) => quoted(c.title, true)).join(',')}\r\n`;
  let batch = '';
  for (const [i, row] of result.rows.entries()) {
    batch += line(result.columns, row);
    if (i % 500 === 499) {
      yield batch;
      batch = '';
    }
  }
  if (result.totals) batch += line(result.columns, result.totals);
  if (batch) yield batch;
}
