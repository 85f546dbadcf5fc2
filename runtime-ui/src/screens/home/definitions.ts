/**
 * What the case screens read from the published definitions: the case type (its listing,
 * statuses, permissions, schema), form titles, and the county's time zone. Loaded once per page.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { countyTimeZone } from '../../forms/county-time';
import type { Principal } from '../../app/session';
import type { CaseDisplay, Listing } from '../../api/engine-types';

export type { Listing, ListingColumn, ListingSearch } from '../../api/engine-types';

export interface CaseType {
  key: string;
  version: number;
  title: string;
  statuses: string[];
  /** The roles people hold on a case of this type. */
  roles?: string[];
  createRoles?: string[];
  permissions?: Record<string, string[]>;
  listing?: Listing;
  display?: CaseDisplay;
  schema: any;
  uischema: any;
}

/** What one case of the type is called ("Case" unless the type says). */
export function caseLabel(caseType: CaseType | undefined): string {
  return caseType?.display?.caseLabel ?? 'Case';
}

export function casesLabel(caseType: CaseType | undefined): string {
  return caseType?.display?.casesLabel ?? 'Cases';
}

/** A case's name: its type's name fields, joined with spaces (empty when it declares none). */
export function caseName(caseType: CaseType | undefined, data: Record<string, unknown> | undefined): string {
  return (caseType?.display?.nameFields ?? []).map((field) => data?.[field]).filter((v) => typeof v === 'string' && v !== '').join(' ');
}

let caseTypesPromise: Promise<CaseType[]> | undefined;
let formTitlesPromise: Promise<Record<string, string>> | undefined;
let timeZonePromise: Promise<string> | undefined;

export function loadCaseTypes(): Promise<CaseType[]> {
  caseTypesPromise ??= api.get<any[]>('/api/definitions?kind=caseType').then((defs) =>
    defs.map((d) => ({ key: d.key, version: d.version, ...d.content })));
  return caseTypesPromise;
}

export function loadFormTitles(): Promise<Record<string, string>> {
  formTitlesPromise ??= api.get<any[]>('/api/definitions?kind=form').then((defs) =>
    Object.fromEntries(defs.map((d) => [d.key, d.content?.title ?? d.key])));
  return formTitlesPromise;
}

/** The business calendar's time zone (dates and times are shown in it). */
export function loadTimeZone(): Promise<string> {
  timeZonePromise ??= countyTimeZone().then((zone) => zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  return timeZonePromise;
}

export function useLoaded<T>(load: () => Promise<T>): { value: T | undefined; error: unknown } {
  const [state, setState] = useState<{ value: T | undefined; error: unknown }>({ value: undefined, error: null });
  useEffect(() => {
    let live = true;
    load().then((value) => live && setState({ value, error: null }), (error) => live && setState({ value: undefined, error }));
    return () => { live = false; };
  }, [load]);
  return state;
}

/** The actions the principal's roles may take on cases of this type (every action when it declares no permissions). */
export function mayDo(caseType: CaseType, principal: Principal | null, action: string): boolean {
  if (!caseType.permissions) return true;
  const granted = (principal?.roles ?? []).flatMap((role) => caseType.permissions?.[role] ?? []);
  const [kind] = action.split(':');
  return granted.includes(action) || granted.includes(`${kind}:*`);
}

/** Forms the principal may start on a case of this type. */
export function creatableForms(caseType: CaseType, principal: Principal | null, allForms: string[]): string[] {
  if (!caseType.permissions) return allForms;
  const granted = (principal?.roles ?? []).flatMap((role) => caseType.permissions?.[role] ?? []);
  if (granted.includes('createDocument:*')) return allForms;
  return [...new Set(granted.filter((a) => a.startsWith('createDocument:')).map((a) => a.slice('createDocument:'.length)))];
}
