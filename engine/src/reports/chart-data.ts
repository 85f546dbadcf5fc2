/**
 * What a report's chart draws, computed from its rows: one category per distinct label of the
 * chart's x column(s). Rows sharing a category are added up as the totals row adds rows: number
 * columns summed, ratio columns computed again from the sums (so a percent of a category is right,
 * never a sum of percents). At most MAX_CATEGORIES are drawn; when there are more, the largest by
 * the first series, largest first, and `categoryCount` says how many there were.
 */
import type { ReportChart, ReportColumn } from './report-definition.js';
import { withRatios } from './row-ratios.js';

export const MAX_CATEGORIES = 40;

type Row = Record<string, unknown>;

export interface ChartData {
  categories: string[];
  series: { key: string; title: string; values: number[] }[];
  /** Distinct categories in the rows (more than `categories.length` when only the largest are drawn). */
  categoryCount: number;
}

/** The columns naming a chart's categories: one, or several whose values are joined. */
export function chartXColumns(chart: ReportChart): string[] {
  return typeof chart.x === 'string' ? [chart.x] : chart.x;
}

/** A column the chart may draw: a number, or a ratio of two (computed again per category). */
export function chartable(column: ReportColumn | undefined): boolean {
  return !!column && (column.type === 'integer' || column.type === 'number' || !!column.ratio);
}

export function chartData(columns: ReportColumn[], chart: ReportChart, rows: Row[]): ChartData {
  const xs = chartXColumns(chart);
  const added = columns.filter((c) => (c.type === 'integer' || c.type === 'number') && !c.ratio);
  const groups = new Map<string, Row>();
  for (const row of rows) {
    const label = xs.map((x) => (row[x] === null || row[x] === undefined ? '' : String(row[x]))).join(': ');
    let sums = groups.get(label);
    if (!sums) {
      sums = Object.fromEntries(added.map((c) => [c.key, 0]));
      groups.set(label, sums);
    }
    for (const c of added) if (typeof row[c.key] === 'number') (sums[c.key] as number) += row[c.key] as number;
  }
  for (const sums of groups.values()) withRatios(columns, sums);
  let entries = [...groups.entries()];
  if (entries.length > MAX_CATEGORIES) {
    const first = chart.y[0];
    const size = ([, sums]: [string, Row]) => (typeof sums[first] === 'number' ? (sums[first] as number) : 0);
    // A stable sort: equal ones keep the rows' order.
    entries = entries.map((entry, i) => ({ entry, i })).sort((a, b) => size(b.entry) - size(a.entry) || a.i - b.i).slice(0, MAX_CATEGORIES).map(({ entry }) => entry);
  }
  const byKey = new Map(columns.map((c) => [c.key, c]));
  return {
    categories: entries.map(([label]) => label),
    series: chart.y.map((key) => ({ key, title: byKey.get(key)?.title ?? key, values: entries.map(([, sums]) => (typeof sums[key] === 'number' ? (sums[key] as number) : 0)) })),
    categoryCount: groups.size,
  };
}
