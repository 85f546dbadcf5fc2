/**
 * Dates and times as county staff read them: US formats (MM/DD/YYYY, 12-hour clock) in the time
 * zone of the published business calendar (the definition `calendar/business`), whatever the
 * browser's own zone is.
 */
import { api } from '../../api/client';

let zone: Promise<string> | undefined;

/** The county's time zone, read once; the browser's zone if the calendar cannot be read. */
export function countyTimeZone(): Promise<string> {
  zone ??= api
    .get<{ content: { timeZone?: string } }>('/api/definitions/calendar/business')
    .then((d) => d.content.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone)
    .catch(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  return zone;
}

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit',
  }).format(new Date(iso));
}
