/**
 * The management reports API, in one place (engine/src/http/routes/reports.ts):
 *   GET /api/reports                  -> the reports the user may run, each with its parameters' JSON Schema
 *   GET /api/reports/:id?<params>     -> columns, rows, totals, chart and what it draws (chartData)
 *   GET /api/reports/:id/csv?<params> and /xlsx?<params> -> downloads
 * The engine names a column's heading `title` and answers percents already multiplied by 100.
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
  /** The column(s) whose values label the bars. */
  x: string | string[];
  /** The numeric columns drawn as bars. */
  y: string[];
  title?: string;
}

/** What the engine says the chart draws: categories (rows of one added up) and a series per y column. */
export interface ChartData {
  categories: string[];
  series: { key: string; title: string; values: number[] }[];
  /** Categories in the rows: more than drawn when only the largest are. */
  categoryCount: number;
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
  chartData?: ChartData;
}

interface EngineColumn {
  key: string;
  title: string;
  type?: string;
}

/** The engine's column as the screen shows it: its title as the label, percents as points (already x100). */
function toColumn(column: EngineColumn): ReportColumn {
  return { key: column.key, label: column.title, type: column.type, ...(column.type === 'percent' ? { format: 'percent-points' } : {}) };
}

const reportPath = (id: string) => `/api/reports/${encodeURIComponent(id)}`;

export const reportsApi = {
  list: async () => {
    const reports = await api.get<(Omit<ReportInfo, 'columns' | 'chart'> & { columns: EngineColumn[]; chart?: ChartSpec | null })[]>('/api/reports');
    return reports.map((r): ReportInfo => ({ ...r, columns: r.columns.map(toColumn), chart: r.chart ?? undefined }));
  },
  run: async (id: string, params: ReportParams): Promise<ReportResult> => {
    const result = await api.get<{
      columns: EngineColumn[]; rows: Record<string, unknown>[]; totals?: Record<string, unknown> | null; chart?: ChartSpec | null; chartData?: ChartData | null;
    }>(`${reportPath(id)}${query(params)}`);
    return {
      columns: result.columns.map(toColumn), rows: result.rows, totals: result.totals ?? undefined,
      chart: result.chart ?? undefined, chartData: result.chartData ?? undefined,
    };
  },
  downloadUrl: (id: string, kind: 'csv' | 'xlsx', params: ReportParams) => `${reportPath(id)}/${kind}${query(params)}`,
};
