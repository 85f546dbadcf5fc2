/**
 * CSE Advocacy Services Deliverables Report: of the deliverables due in the month, how many
 * were completed within the program timeframe, by agency and deliverable. "Within the
 * timeframe" is the deliverable record's outcome (engine/src/deliverables): submitted on or
 * before the due day, county time, business days and holidays as the calendar says.
 */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import { MANAGEMENT_ROLES, caseFilters, monthBounds, monthParameters, type MonthParams } from './_cts.js';

const DELIVERABLES = ['frp-intake', 'safety-plan', 'strengths-needs-assessment', 'advocacy-plan-1', 'advocacy-plan-2', 'advocacy-plan-3', 'termination-report'];
const count = (outcome: string) => ({ $sum: { $cond: [{ $eq: ['$outcome', outcome] }, 1, 0] } });

const report: ReportDefinition<MonthParams> = {
  id: 'deliverables',
  title: 'CSE Advocacy Services Deliverables Report',
  description: 'Number and percent of deliverables (FRP Intake, Safety Plan, Strengths and Needs Assessment, Advocacy Plans, Termination Report) due in the month that were completed within program timeframes, by agency. A deliverable counts for the agency the case is with now.',
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  source: { collection: 'deliverables', caseField: 'caseId' },
  // Leads with the match's fields and holds the others the report reads: a covered aggregation.
  indexes: [{ key: { key: 1, dueDate: 1, outcome: 1, caseId: 1, position: 1, title: 1 } }],
  retiredIndexes: [{ key: { key: 1, dueDate: 1 } }],
  match: ({ month }, context) => {
    const { first, last } = monthBounds(month, context);
    return { key: { $in: DELIVERABLES }, dueDate: { $gte: first, $lte: last }, outcome: { $ne: 'not-required' } };
  },
  pipeline: (params) => [
    { $match: caseFilters(params) },
    {
      $group: {
        _id: { agency: '$case.data.advocacyAgency', position: '$position', title: '$title' },
        due: { $sum: 1 }, onTime: count('completed'), late: count('completed-late'), notCompleted: count('pending'),
      },
    },
    { $sort: { '_id.agency': 1, '_id.position': 1 } },
    {
      $project: {
        _id: 0, agency: { $ifNull: ['$_id.agency', '(no agency)'] }, deliverable: '$_id.title',
        due: 1, onTime: 1, late: 1, notCompleted: 1,
      },
    },
  ],
  columns: [
    { key: 'agency', title: 'Agency', type: 'string', total: { label: 'Total' } },
    { key: 'deliverable', title: 'Deliverable', type: 'string' },
    { key: 'due', title: 'Due in Month', type: 'integer', total: 'sum' },
    { key: 'onTime', title: 'Completed within Timeframe', type: 'integer', total: 'sum' },
    { key: 'late', title: 'Completed Late', type: 'integer', total: 'sum' },
    { key: 'notCompleted', title: 'Not Completed', type: 'integer', total: 'sum' },
    { key: 'onTimePercent', title: '% within Timeframe', type: 'percent', ratio: ['onTime', 'due'] },
  ],
  totals: true,
  chart: { type: 'bar', x: 'deliverable', y: ['onTime', 'late', 'notCompleted'], title: 'Deliverables due in the month' },
};

export default report;
