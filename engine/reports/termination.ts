/**
 * Termination Report: of the Termination Reports submitted for terminations in the month, the
 * days served by the advocacy agency and the long-term goals completed, for youth who completed
 * the program or aged out, for all youth, and by reason for termination.
 */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import type { Pipeline } from '../src/store/types.js';
import { MANAGEMENT_ROLES, caseFilters, monthBounds, monthParameters, type MonthParams } from './_cts.js';

const COMPLETED_OR_AGED_OUT = ['Completed Program', 'Aged Out'];
const goals = (...values: string[]) => ({ $sum: { $cond: [{ $in: ['$data.goalsAchieved', values] }, 1, 0] } });

function summary(group: unknown, position: number): Pipeline[number] {
  return {
    $group: {
      _id: group, position: { $first: { $literal: position } },
      youth: { $sum: 1 }, daysServed: { $sum: { $ifNull: ['$data.daysServed', 0] } },
      someOrAll: goals('All', 'Some'), allGoals: goals('All'),
    },
  };
}

const report: ReportDefinition<MonthParams> = {
  id: 'termination',
  title: 'Termination Report',
  description: 'Terminations in the month (submitted Termination Reports): days served, reason for termination, and the number and percent of youth who completed some or all, and all, of their long-term goals: for youth who completed the program or aged out, for all youth, and by reason.',
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  source: { collection: 'documents', caseField: 'caseId' },
  indexes: [{ key: { form: 1, 'data.terminationDate': 1 } }],
  match: ({ month }, context) => {
    const { first, last } = monthBounds(month, context);
    return { form: 'termination-report', stage: 'submitted', 'data.terminationDate': { $gte: first, $lte: last } };
  },
  pipeline: (params) => [
    { $match: caseFilters(params) },
    {
      $facet: {
        completed: [
          { $match: { 'data.terminationReason': { $in: COMPLETED_OR_AGED_OUT } } },
          summary({ $literal: 'Completed Program or Aged Out' }, 0),
        ],
        all: [summary({ $literal: 'All youth' }, 1)],
        reasons: [summary({ $concat: ['Reason: ', { $ifNull: ['$data.terminationReason', '(none)'] }] }, 2)],
      },
    },
    { $project: { rows: { $concatArrays: ['$completed', '$all', '$reasons'] } } },
    { $unwind: '$rows' },
    { $replaceRoot: { newRoot: '$rows' } },
    { $sort: { position: 1, _id: 1 } },
    { $project: { _id: 0, group: '$_id', youth: 1, daysServed: 1, someOrAll: 1, allGoals: 1 } },
  ],
  columns: [
    { key: 'group', title: 'Youth', type: 'string' },
    { key: 'youth', title: 'Number of Youth', type: 'integer' },
    { key: 'daysServed', title: 'Days Served (total)', type: 'integer' },
    { key: 'averageDaysServed', title: 'Days Served (average)', type: 'number', ratio: ['daysServed', 'youth'], scale: 1 },
    { key: 'someOrAll', title: 'Completed Some or All Goals', type: 'integer' },
    { key: 'someOrAllPercent', title: '% Some or All Goals', type: 'percent', ratio: ['someOrAll', 'youth'] },
    { key: 'allGoals', title: 'Completed All Goals', type: 'integer' },
    { key: 'allGoalsPercent', title: '% All Goals', type: 'percent', ratio: ['allGoals', 'youth'] },
  ],
  chart: { type: 'bar', x: 'group', y: ['someOrAllPercent', 'allGoalsPercent'], title: 'Long-term goals completed' },
};

export default report;
