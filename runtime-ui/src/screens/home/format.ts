/** Dates as county staff read them: MM/DD/YYYY, times in the county's time zone. */

import { usDate, usDateTime } from '../../forms/county-time';

/** A calendar date (YYYY-MM-DD) as MM/DD/YYYY; it has no time zone. */
export function formatDate(value: unknown): string {
  return typeof value === 'string' ? usDate(value) : '';
}

/** An instant as MM/DD/YYYY h:mm AM/PM in the given time zone. */
export function formatDateTime(value: unknown, timeZone: string): string {
  if (typeof value !== 'string' || !value) return '';
  return Number.isNaN(new Date(value).getTime()) ? value : usDateTime(value, timeZone);
}

/** The day of an instant (MM/DD/YYYY) in the given time zone. */
export function formatDay(value: unknown, timeZone: string): string {
  if (typeof value !== 'string' || !value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString('en-US', { timeZone, month: '2-digit', day: '2-digit', year: 'numeric' });
}

/** A record's value at a dotted path (`data.youthLastName`). */
export function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<any>((node, key) => (node == null ? undefined : node[key]), record);
}
