/**
 * The management reports API, in one place so the contract can be adjusted to the engine's:
 *   GET  /api/reports                 -> the reports the user may run, each with its parameters' JSON Schema
 *   POST /api/reports/:id/run {params} -> columns, rows, totals, chart
 *   GET  /api/reports/:id.csv?<params> and .xlsx?<params> -> downloads
 */
import { api, query } from '../../api/client';

export interface ReportColumn {
  key: string;
  label: string;
  /** 'string' | 'number' | 'integer' | 'percent' (a fraction 0..1) | 'date' | 'boolean' (others are shown as text). */
  type?: string;
  format?: string;
}

export interface ChartSpec {
  type: 'bar';
  /** The column whose values label the bars. */
  x: string;
  /** The numeric columns drawn as bars. */
  y: string[];
}

export interface ParameterSchema {
  type?: string;
  properties?: Record<string, ParameterProperty>;
  required?: string[];
}

export interface ParameterProperty {
  type?: string;
  title?: string;
  description?: string;
  format?: string;
  pattern?: string;
  enum?: (string | number)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

export interface ReportInfo {
  id: string;
  title: string;
  description?: string;
  parameters: ParameterSchema;
  columns: ReportColumn[];
  chart?: ChartSpec;
}

export type ReportParams = Record<string, string | number | boolean>;

export interface ReportResult {
  columns: ReportColumn[];
  rows: Record<string, unknown>[];
  totals?: Record<string, unknown>;
  chart?: ChartSpec;
}

export const reportsApi = {
  list: () => api.get<ReportInfo[]>('/api/reports'),
  run: (id: string, params: ReportParams) => api.post<ReportResult>(`/api/reports/${encodeURIComponent(id)}/run`, { params }),
  downloadUrl: (id: string, kind: 'csv' | 'xlsx', params: ReportParams) => `/api/reports/${encodeURIComponent(id)}.${kind}${query(params)}`,
};
