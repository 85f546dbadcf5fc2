/**
 * CSE Advocacy Services Overdue Alerts Report: every deliverable that was overdue at some time
 * in the month (past its due day and not submitted), with the days it was overdue by the end of
 * the month (or today, for the current month) or until it was submitted.
 */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import { MANAGEMENT_ROLES, caseFilters, monthBounds, monthParameters, youthName, type MonthParams } from './_cts.js';

const DAY_MS = 86_400_000;
const asDate = (value: unknown) => ({ $dateFromString: { dateString: value, format: '%Y-%m-%d' } });

const report: ReportDefinition<MonthParams> = {
  id: 'overdue-alerts',
  title: 'CSE Advocacy Services Overdue Alerts Report',
  description: 'Deliverables overdue at some time in the month: still not submitted, or submitted late during the month; days overdue at the end of the month (today for the current month) or at submission.',
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  source: { collection: 'deliverables', caseField: 'caseId' },
  // Each clause of the $or reads its own index range: the required pending ones by due day, the late ones
  // by completion day (the engine's { outcome, overdueAt } index would read every pending one). Each
  // index also holds every other field the report reads of a deliverable, so the store builds them
  // from the index keys (a covered aggregation) instead of reading each one.
  indexes: [
    { key: { outcome: 1, optional: 1, dueDate: 1, overdueAt: 1, completedAt: 1, completedDate: 1, caseId: 1, title: 1 } },
    { key: { outcome: 1, completedDate: 1, optional: 1, overdueAt: 1, completedAt: 1, dueDate: 1, caseId: 1, title: 1 } },
  ],
  retiredIndexes: [{ key: { outcome: 1, dueDate: 1 } }, { key: { outcome: 1, optional: 1, dueDate: 1 } }, { key: { outcome: 1, completedDate: 1 } }],
  match: ({ month }, context) => {
    const { first, last, start, end } = monthBounds(month, context);
    const today = context.localDate(context.now);
    return {
      optional: false,
      // Overdue from the day after the due day: before the month ended and before now.
      overdueAt: { $gte: new Date(0), $lt: end, $lte: context.now },
      // Still pending, or late but still open when the month began. The day conditions follow from
      // the others (overdueAt is the instant the day after dueDate begins, completedDate the day
      // of completedAt): they only let the indexes narrow.
      $or: [
        { outcome: 'pending', optional: false, dueDate: { $lte: today < last ? today : last } },
        { outcome: 'completed-late', completedAt: { $gte: start }, completedDate: { $gte: first } },
      ],
    };
  },
  pipeline: (params, context) => {
    const { last, end } = monthBounds(params.month, context);
    const today = context.localDate(context.now);
    const asOf = today < last ? today : last;
    const submittedInTime = { $and: [{ $ne: ['$completedAt', null] }, { $lt: ['$completedAt', end] }] };
    return [
      { $match: caseFilters(params) },
      { $addFields: { submitted: { $cond: [submittedInTime, '$completedDate', null] } } },
      {
        $project: {
          _id: 0,
          agency: { $ifNull: ['$case.data.advocacyAgency', '(no agency)'] },
          number: '$case.number',
          youth: youthName,
          leadAgency: '$case.data.leadAgency',
          deliverable: '$title',
          dueDate: 1,
          submitted: 1,
          daysOverdue: {
            $round: [{ $divide: [{ $subtract: [asDate({ $ifNull: ['$submitted', asOf] }), asDate('$dueDate')] }, DAY_MS] }, 0],
          },
          status: { $cond: [{ $eq: ['$submitted', null] }, 'Overdue', 'Submitted late'] },
        },
      },
      { $sort: { agency: 1, dueDate: 1, number: 1, deliverable: 1 } },
    ];
  },
  columns: [
    { key: 'agency', title: 'Agency', type: 'string' },
    { key: 'number', title: 'Assignment #', type: 'string' },
    { key: 'youth', title: 'Youth', type: 'string' },
    { key: 'leadAgency', title: 'Lead Agency', type: 'string' },
    { key: 'deliverable', title: 'Deliverable', type: 'string' },
    { key: 'dueDate', title: 'Due Date', type: 'date' },
    { key: 'submitted', title: 'Submitted', type: 'date' },
    { key: 'daysOverdue', title: 'Days Overdue', type: 'integer' },
    { key: 'status', title: 'Status', type: 'string' },
  ],
  chart: { type: 'bar', x: 'number', y: ['daysOverdue'], title: 'Days overdue by assignment' },
};

export default report;
