/** What a report's chart draws from its rows: categories added up like the totals row, at most 40. */
import { describe, expect, it } from 'vitest';
import { MAX_CATEGORIES, chartData } from '../../src/reports/chart-data.js';
import { definitionProblems, type ReportChart, type ReportColumn } from '../../src/reports/report-definition.js';

const columns: ReportColumn[] = [
  { key: 'agency', title: 'Agency', type: 'string' },
  { key: 'kind', title: 'Kind', type: 'string' },
  { key: 'done', title: 'Done', type: 'integer' },
  { key: 'due', title: 'Due', type: 'integer' },
  { key: 'percent', title: '% Done', type: 'percent', ratio: ['done', 'due'] },
  { key: 'average', title: 'Average', type: 'number', ratio: ['done', 'due'], scale: 1 },
];

describe('chart data', () => {
  it('adds up the rows of a category and computes its ratios again from the sums, in the order first met', () => {
    const rows = [
      { agency: 'A', kind: 'intake', done: 1, due: 2, percent: 50, average: 0.5 },
      { agency: 'A', kind: 'plan', done: 0, due: 1, percent: 0, average: 0 },
      { agency: 'B', kind: 'intake', done: 3, due: 4, percent: 75, average: 0.8 },
      { agency: 'B', kind: null, done: 2, due: 0, percent: null, average: null },
    ];
    expect(chartData(columns, { type: 'bar', x: 'kind', y: ['done', 'percent', 'average'] }, rows)).toEqual({
      categories: ['intake', 'plan', ''],
      series: [
        { key: 'done', title: 'Done', values: [4, 0, 2] },
        // 4 of 6, not 50 + 75; a category with nothing due has no percent (drawn as 0).
        { key: 'percent', title: '% Done', values: [66.7, 0, 0] },
        { key: 'average', title: 'Average', values: [0.7, 0, 0] },
      ],
      categoryCount: 3,
    });
  });

  it('joins several x columns into one label per category', () => {
    const rows = [{ agency: 'A', kind: 'intake', done: 1, due: 1 }, { agency: 'B', kind: 'intake', done: 2, due: 2 }, { agency: 'A', kind: 'intake', done: 5, due: 5 }];
    const data = chartData(columns, { type: 'bar', x: ['agency', 'kind'], y: ['done'] }, rows);
    expect(data.categories).toEqual(['A: intake', 'B: intake']);
    expect(data.series[0].values).toEqual([6, 2]);
  });

  it(`draws at most ${MAX_CATEGORIES} categories: the largest by the first series, largest first, equal ones in the rows' order`, () => {
    const rows = Array.from({ length: 45 }, (_, i) => ({ agency: `agency ${i}`, kind: 'k', done: i % 3 === 0 ? 100 : i, due: 1 }));
    const data = chartData(columns, { type: 'bar', x: 'agency', y: ['done', 'due'] }, rows);
    expect(data.categoryCount).toBe(45);
    expect(data.categories).toHaveLength(MAX_CATEGORIES);
    // The fifteen of 100 (0, 3, ..., 42) in the rows' order, then 44, 43, 41, 40, ...
    const hundreds = Array.from({ length: 15 }, (_, i) => `agency ${3 * i}`);
    const rest = Array.from({ length: 45 }, (_, i) => 44 - i).filter((i) => i % 3 !== 0).slice(0, MAX_CATEGORIES - 15).map((i) => `agency ${i}`);
    expect(data.categories).toEqual([...hundreds, ...rest]);
    expect(data.series[1].values).toEqual(Array(MAX_CATEGORIES).fill(1));
  });
});

describe('a definition\'s chart', () => {
  const problems = (chart: ReportChart) => definitionProblems({
    id: 'charted', title: 'Charted', description: '', parameters: { type: 'object' }, roles: ['Manager'],
    source: { collection: 'cases' }, pipeline: () => [], columns, chart,
  });
  it('draws number and ratio columns over existing category columns; the loader names what is wrong', () => {
    expect(problems({ type: 'bar', x: ['agency', 'kind'], y: ['done', 'percent'] })).toEqual([]);
    expect(problems({ type: 'bar', x: 'kind', y: ['agency'] })).toEqual(['chart: y column agency must be a number or a ratio']);
    expect(problems({ type: 'bar', x: 'nope', y: ['done'] })).toEqual(['chart names a column the report does not have']);
    expect(problems({ type: 'bar', x: [], y: ['done'] })).toEqual(['chart: x names the category column(s) and y at least one series']);
    expect(problems({ type: 'bar', x: 'kind', y: [] })).toEqual(['chart: x names the category column(s) and y at least one series']);
  });
});
