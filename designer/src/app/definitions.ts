/** The definitions API as the designer uses it (through the runtime UI's one API client). */
import { api } from '../../../runtime-ui/src/api/client';

export type Kind = 'form' | 'caseType' | 'process' | 'lookup' | 'calendar';

export interface Definition<C = any> {
  kind: Kind;
  key: string;
  version: number;
  publishedAt: string;
  publishedBy: string;
  content: C;
}

export interface Problem {
  path: string;
  message: string;
  element?: string;
}

export interface CheckResult {
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}

const base = (kind: Kind, key: string) => `/api/definitions/${kind}/${encodeURIComponent(key)}`;

export const definitionsApi = {
  list: (kind: Kind) => api.get<Definition[]>(`/api/definitions?kind=${kind}`),
  latest: <C>(kind: Kind, key: string) => api.get<Definition<C>>(base(kind, key)),
  version: <C>(kind: Kind, key: string, version: number) => api.get<Definition<C>>(`${base(kind, key)}/versions/${version}`),
  versions: (kind: Kind, key: string) => api.get<Omit<Definition, 'content'>[]>(`${base(kind, key)}/versions`),
  validate: (kind: Kind, key: string, content: unknown) => api.post<CheckResult>(`${base(kind, key)}/validate`, content),
  publish: (kind: Kind, key: string, content: unknown) => api.post<{ created: boolean; definition: Definition }>(base(kind, key), content),
  diff: (kind: 'form' | 'caseType', key: string, from: number, to: number) => api.get<FormDiff>(`${base(kind, key)}/diff?from=${from}&to=${to}`),
};

export interface FieldInfo {
  pointer: string;
  label: string;
  required: boolean;
}

export interface FieldChange {
  pointer: string;
  label: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

export interface FormDiff {
  fromVersion: number;
  toVersion: number;
  added: FieldInfo[];
  removed: FieldInfo[];
  changed: FieldChange[];
}
