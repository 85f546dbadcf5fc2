/** Ratio columns (a percent, an average), computed from two other columns of the same row. */
import type { ReportColumn } from './report-definition.js';

/** scale * a / b to one decimal; null when b is 0 or either is missing. */
export function ratio(numerator: unknown, denominator: unknown, scale = 100): number | null {
  if (typeof numerator !== 'number' || typeof denominator !== 'number' || denominator === 0) return null;
  return Math.round((10 * scale * numerator) / denominator) / 10;
}

/** Fills the row's ratio columns from its other columns (in place). */
export function withRatios<R extends Record<string, unknown>>(columns: ReportColumn[], row: R): R {
  for (const column of columns) if (column.ratio) (row as Record<string, unknown>)[column.key] = ratio(row[column.ratio[0]], row[column.ratio[1]], column.scale);
  return row;
}
