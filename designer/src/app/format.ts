/**
 * Dates as county staff read them: MM/DD/YYYY h:mm in the county's time zone, which is the
 * business calendar's (the `calendar` definition `business`).
 */
import { useEffect, useState } from 'react';
import { api } from '../../../runtime-ui/src/api/client';

let zone: Promise<string> | undefined;

export function useCountyTimeZone(): string | undefined {
  const [timeZone, setTimeZone] = useState<string>();
  useEffect(() => {
    zone ??= api.get<{ content: { timeZone?: string } }>('/api/definitions/calendar/business').then((d) => d.content.timeZone ?? 'UTC', () => 'UTC');
    void zone.then(setTimeZone);
  }, []);
  return timeZone;
}

export function formatDateTime(iso: string | undefined, timeZone: string | undefined): string {
  if (!iso || !timeZone) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone, month: '2-digit', day: '2-digit', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}
