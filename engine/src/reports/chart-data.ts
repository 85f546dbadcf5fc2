/**
 * What a report's chart draws, computed from its rows: one category per distinct label of the
 * chart's x column(s). Rows sharing a category are added up: the number columns summed, the ratio
 * columns computed again from the sums as the totals row computes its ratios (so a percent of a
 * category is right, never a sum of percents). At most MAX_CATEGORIES are drawn; when there are more, the largest by
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
  const byKey = new Map(columns.map((c) => [c.key, c]));
  // The columns added up: the series, and the two parts of each ratio series.
  const drawn = chart.y.map((key) => byKey.get(key)).filter((c): c is ReportColumn => !!c);
  const ratios = drawn.filter((c) => c.ratio);
  const added = [...new Set([...drawn.filter((c) => !c.ratio).map((c) => c.key), ...ratios.flatMap((c) => c.ratio!)])];
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const labelOf = xs.length === 1 ? (row: Row) => text(row[xs[0]]) : (row: Row) => xs.map((x) => text(row[x])).join(': ');
  const groups = new Map<string, Row>();
  for (const row of rows) {
    const label = labelOf(row);
    let sums = groups.get(label);
    if (!sums) {
      sums = {};
      for (const key of added) sums[key] = 0;
      groups.set(label, sums);
    }
    for (const key of added) if (typeof row[key] === 'number') (sums[key] as number) += row[key] as number;
  }
  for (const sums of groups.values()) withRatios(ratios, sums);
  let entries = [...groups.entries()];
  if (entries.length > MAX_CATEGORIES) {
    const first = chart.y[0];
    const size = ([, sums]: [string, Row]) => (typeof sums[first] === 'number' ? (sums[first] as number) : 0);
    // A stable sort: equal ones keep the rows' order.
    entries = entries.map((entry, i) => ({ entry, i })).sort((a, b) => size(b.entry) - size(a.entry) || a.i - b.i).slice(0, MAX_CATEGORIES).map(({ entry }) => entry);
  }
  return {
    categories: entries.map(([label]) => label),
    series: chart.y.map((key) => ({ key, title: byKey.get(key)?.title ?? key, values: entries.map(([, sums]) => (typeof sums[key] === 'number' ? (sums[key] as number) : 0)) })),
    categoryCount: groups.size,
  };
}
