/**
 * Master Activity: the month's advocate activities per advocate and activity type, with the
 * number of activities, completed ones, signed up, participants and service minutes, and totals.
 * An activity counts for the advocate who logged it and the agency recorded on it.
 */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import { MANAGEMENT_ROLES, caseFilters, monthBounds, monthParameters, type MonthParams } from './_cts.js';

const report: ReportDefinition<MonthParams> = {
  id: 'master-activity',
  title: 'Master Activity',
  description: "The month's advocate activities (by activity date) per advocate and activity type: activities, completed, signed up, participants and service minutes, with grand totals.",
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  source: { collection: 'documents', caseField: 'caseId' },
  // Leads with the match's fields and holds every other field the report reads of an activity,
  // so the store builds the activities from the index keys (a covered aggregation).
  indexes: [{
    name: 'master-activity-covering',
    key: {
      form: 1, 'data.activityDate': 1, 'data.youth.advocacyAgency': 1, createdBy: 1, 'data.activityType': 1,
      'data.isCompleted': 1, 'data.signedUp': 1, 'data.participants': 1, 'data.serviceMinutes': 1, caseId: 1,
    },
  }],
  retiredIndexes: [{ key: { form: 1, 'data.activityDate': 1 } }],
  match: ({ month }, context) => {
    const { first, last } = monthBounds(month, context);
    return { form: 'advocate-activity', 'data.activityDate': { $gte: first, $lte: last } };
  },
  // The agency parameter means the agency recorded on the activity (the case may have moved since).
  pipeline: ({ agency, ...rest }) => [
    { $match: { ...caseFilters(rest), ...(agency ? { 'data.youth.advocacyAgency': agency } : {}) } },
    {
      $group: {
        _id: { agency: '$data.youth.advocacyAgency', advocate: '$createdBy', type: '$data.activityType' },
        activities: { $sum: 1 },
        completed: { $sum: { $cond: [{ $eq: ['$data.isCompleted', true] }, 1, 0] } },
        signedUp: { $sum: { $ifNull: ['$data.signedUp', 0] } },
        participants: { $sum: { $ifNull: ['$data.participants', 0] } },
        serviceMinutes: { $sum: { $ifNull: ['$data.serviceMinutes', 0] } },
      },
    },
    { $lookup: { from: 'users', localField: '_id.advocate', foreignField: '_id', as: 'advocate' } },
    {
      $project: {
        _id: 0,
        agency: { $ifNull: ['$_id.agency', '(no agency)'] },
        advocate: {
          $ifNull: [
            { $let: { vars: { a: { $arrayElemAt: ['$advocate', 0] } }, in: { $concat: ['$$a.lastName', ', ', '$$a.firstName'] } } },
            '$_id.advocate',
          ],
        },
        activityType: { $ifNull: ['$_id.type', '(no type)'] },
        activities: 1, completed: 1, signedUp: 1, participants: 1, serviceMinutes: 1,
      },
    },
    { $sort: { agency: 1, advocate: 1, activityType: 1 } },
  ],
  columns: [
    { key: 'agency', title: 'Agency', type: 'string', total: { label: 'Grand Total' } },
    { key: 'advocate', title: 'Advocate', type: 'string' },
    { key: 'activityType', title: 'Activity Type', type: 'string' },
    { key: 'activities', title: 'Activities', type: 'integer', total: 'sum' },
    { key: 'completed', title: 'Completed', type: 'integer', total: 'sum' },
    { key: 'signedUp', title: 'Signed Up', type: 'integer', total: 'sum' },
    { key: 'participants', title: 'Participants', type: 'integer', total: 'sum' },
    { key: 'serviceMinutes', title: 'Service Minutes', type: 'integer', total: 'sum' },
  ],
  totals: true,
  chart: { type: 'bar', x: 'activityType', y: ['activities'], title: 'Activities by type' },
};

export default report;
