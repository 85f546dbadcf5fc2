/**
 * A report definition: one module in the reports folder (REPORTS_DIR) whose default export
 * says what the report is, who may run it, which parameters it takes, the aggregation it runs
 * through the store port and how its output looks. See engine/reports/README.md.
 */
import { indexName } from '../store/hygiene.js';
import { chartable, chartXColumns } from './chart-data.js';
import type { Filter, IndexSpec, Pipeline } from '../store/types.js';

export type ColumnType = 'string' | 'integer' | 'number' | 'percent' | 'date' | 'boolean';

export interface ReportColumn {
  key: string;
  title: string;
  type: ColumnType;
  /**
   * A column computed by the runner from two other columns of the same row (and of the totals
   * row): scale * numerator / denominator to one decimal, null when the denominator is 0.
   */
  ratio?: [numerator: string, denominator: string];
  /** The ratio's factor: 100 (the default) for a percent, 1 for an average. */
  scale?: number;
  /** How the totals row fills this column: add up the rows, count the rows where it is true, or a fixed label. */
  total?: 'sum' | 'countTrue' | { label: string };
}

export interface ReportChart {
  type: 'bar' | 'line' | 'pie';
  /**
   * The column naming each category (x axis), or several whose values are joined ("Measure:
   * Answer"). Rows of the same category are added up (see chart-data.ts); at most 40 are drawn.
   */
  x: string | string[];
  /** The series: number columns, or ratio columns (computed again for each category). */
  y: string[];
  title?: string;
}

/** What a definition's query sees besides its validated parameters. */
export interface ReportContext {
  /** The business calendar's time zone and its local midnight of a date ('YYYY-MM-DD'). */
  timeZone: string;
  toInstant(localDate: string): Date;
  /** The local date ('YYYY-MM-DD') of an instant in that zone. */
  localDate(instant: Date): string;
  now: Date;
}

export interface ReportSource {
  /** The collection the pipeline runs on. */
  collection: string;
  /**
   * The field of each record holding its case's id; the case is joined as `case` and the
   * caller's access scope is applied to it. Omit when the collection is the cases collection.
   */
  caseField?: string;
}

export interface ReportDefinition<P extends Record<string, any> = Record<string, any>> {
  id: string;
  title: string;
  description: string;
  /** JSON Schema (an object) of the parameters; validated with ajv before the query runs. */
  parameters: Record<string, any>;
  /** Roles that may run it. */
  roles: string[];
  source: ReportSource;
  /** A filter of the source's own fields, applied first (so the store's indexes can narrow). */
  match?: (params: P, context: ReportContext) => Filter;
  /** Indexes of the source collection the match is written for (equality fields first, then one range); created at start. */
  indexes?: IndexSpec[];
  /**
   * Indexes earlier versions of this report asked for and it no longer reads; dropped at start
   * (unless a definition still asks for one of that name), so writes stop maintaining them. List
   * only indexes the reports alone asked for: one an engine service also creates would be
   * dropped and built again at every start.
   */
  retiredIndexes?: IndexSpec[];
  /** The aggregation after the match and the access scope; each result is one row. */
  pipeline: (params: P, context: ReportContext) => Pipeline;
  columns: ReportColumn[];
  /** Show a totals row (from the columns' `total` and `ratio`). */
  totals?: boolean;
  chart?: ReportChart;
}

export const CASES_COLLECTION = 'cases';
const ID_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;
const COLUMN_TYPES = new Set<ColumnType>(['string', 'integer', 'number', 'percent', 'date', 'boolean']);

/** The names of a list of index specifications; what is wrong with each goes to `problems`. */
function indexNames(specs: unknown, field: string, problems: string[]): string[] {
  if (specs === undefined) return [];
  if (!Array.isArray(specs)) {
    problems.push(`${field} must be a list of index specifications`);
    return [];
  }
  return specs.flatMap((spec, i) => {
    try {
      return [indexName(spec)];
    } catch (error) {
      problems.push(`${field}/${i}: ${(error as Error).message}`);
      return [];
    }
  });
}

function chartProblems(chart: ReportChart, columns: ReportColumn[]): string[] {
  const byKey = new Map(columns.map((c) => [c?.key, c]));
  const xs = typeof chart.x === 'string' || Array.isArray(chart.x) ? chartXColumns(chart) : [];
  if (xs.length === 0 || !Array.isArray(chart.y) || chart.y.length === 0) return ['chart: x names the category column(s) and y at least one series'];
  if (![...xs, ...chart.y].every((k) => byKey.has(k))) return ['chart names a column the report does not have'];
  return chart.y.filter((k) => !chartable(byKey.get(k))).map((k) => `chart: y column ${k} must be a number or a ratio`);
}

/** Problems with a loaded definition (a developer's mistake: the engine refuses to start with it). */
export function definitionProblems(value: unknown): string[] {
  const problems: string[] = [];
  const d = value as Partial<ReportDefinition> | null;
  if (!d || typeof d !== 'object') return ['the default export must be a report definition object'];
  if (typeof d.id !== 'string' || !ID_PATTERN.test(d.id)) problems.push('id: 2-64 lower-case letters, digits or -, starting with a letter');
  if (typeof d.title !== 'string' || d.title.trim() === '') problems.push('title is required');
  if (typeof d.description !== 'string') problems.push('description is required');
  if (!d.parameters || d.parameters.type !== 'object') problems.push('parameters must be a JSON Schema of type object');
  if (!Array.isArray(d.roles) || d.roles.length === 0) problems.push('roles must name at least one role');
  if (!d.source || typeof d.source.collection !== 'string') problems.push('source.collection is required');
  else if (d.source.collection !== CASES_COLLECTION && typeof d.source.caseField !== 'string') {
    problems.push(`source.caseField is required unless the source is the ${CASES_COLLECTION} collection (the access scope applies through it)`);
  }
  if (typeof d.pipeline !== 'function') problems.push('pipeline must be a function of the parameters returning stages');
  if (d.match !== undefined && typeof d.match !== 'function') problems.push('match must be a function of the parameters returning a filter');
  const declared = indexNames(d.indexes, 'indexes', problems);
  for (const name of indexNames(d.retiredIndexes, 'retiredIndexes', problems)) {
    if (declared.includes(name)) problems.push(`retiredIndexes: ${name} is also in indexes`);
  }
  if (!Array.isArray(d.columns) || d.columns.length === 0) return [...problems, 'columns must list at least one column'];
  const keys = new Set(d.columns.map((c) => c?.key));
  for (const [i, column] of d.columns.entries()) {
    if (typeof column?.key !== 'string' || typeof column.title !== 'string') problems.push(`columns/${i}: key and title are required`);
    if (!COLUMN_TYPES.has(column?.type)) problems.push(`columns/${i}: type must be one of ${[...COLUMN_TYPES].join(', ')}`);
    if (column?.ratio && !column.ratio.every((k) => keys.has(k))) problems.push(`columns/${i}: ratio names a column the report does not have`);
  }
  if (d.chart) problems.push(...chartProblems(d.chart, d.columns));
  return problems;
}
