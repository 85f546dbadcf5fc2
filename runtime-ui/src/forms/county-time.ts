/** Dates and times as county staff read them: US formats (MM/DD/YYYY), in the county's time zone. */
import { api } from '../api/client';

let zone: Promise<string | undefined> | undefined;

/** The time zone of the published business calendar (the county's); the browser's when none is published. */
export function countyTimeZone(): Promise<string | undefined> {
  zone ??= api.get<{ content: { timeZone?: string } }[]>('/api/definitions?kind=calendar')
    .then((list) => list[0]?.content.timeZone, () => undefined);
  return zone;
}

/** MM/DD/YYYY for a day (`2026-03-01`) — a calendar day has no zone. */
export function usDate(day: string | null | undefined): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[2]}/${m[3]}/${m[1]}` : day;
}

/** MM/DD/YYYY h:mm AM/PM of an instant, in the given zone. */
export function usDateTime(instant: string | Date | null | undefined, timeZone: string | undefined): string {
  if (!instant) return '';
  return new Intl.DateTimeFormat('en-US', {
    timeZone, month: '2-digit', day: '2-digit', year: 'numeric', hour: 'numeric', minute: '2-digit',
  }).format(new Date(instant)).replace(',', '');
}

/** Today's day (YYYY-MM-DD) in the zone. */
export function todayIn(timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
