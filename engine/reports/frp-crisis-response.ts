/**
 * FRP Crisis Response Report, first table: of the FRP referrals assigned during the month (their
 * FRP Intake deliverable is anchored on the assignment date), the response measures from the
 * submitted FRP Intake form and whether it came within its 14 days (Yes, No, In progress).
 */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import { MANAGEMENT_ROLES, caseFilters, monthBounds, monthParameters, youthName, type MonthParams } from './_cts.js';

/** A field of the submitted intake, null when there is none or it is unanswered. */
const intake = (path: string) => ({ $ifNull: [`$intake.data.${path}`, null] });

const report: ReportDefinition<MonthParams> = {
  id: 'frp-crisis-response',
  title: 'FRP Crisis Response Report',
  description: 'Of all FRP referrals assigned during the month: agency, lead, youth, response within 90 minutes, humanitarian bag, CSEC medical clearance exam, MDT within 10 days, FRP Intake submitted within 14 days. The totals row counts the Yes answers.',
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  source: { collection: 'deliverables', caseField: 'caseId' },
  indexes: [{ key: { key: 1, anchorDate: 1 } }],
  match: ({ month }, context) => {
    const { first, last } = monthBounds(month, context);
    return { key: 'frp-intake', anchorDate: { $gte: first, $lte: last }, outcome: { $ne: 'not-required' } };
  },
  pipeline: (params, context) => [
    { $match: caseFilters(params) },
    { $lookup: { from: 'documents', localField: 'documentId', foreignField: '_id', as: 'intake' } },
    { $addFields: { intake: { $ifNull: [{ $arrayElemAt: ['$intake', 0] }, { data: {} }] } } },
    { $sort: { anchorDate: 1, 'case.number': 1 } },
    {
      $project: {
        _id: 0,
        agency: { $ifNull: ['$case.data.advocacyAgency', '(no agency)'] },
        leadAgency: '$case.data.leadAgency',
        number: '$case.number',
        youth: youthName,
        assignmentDate: '$anchorDate',
        respondedWithin90Minutes: intake('response.respondedWithin90Minutes'),
        humanitarianBag: intake('services.humanitarianBagProvided'),
        medicalClearanceExam: intake('services.medicalClearanceExam'),
        mdtWithin10Days: intake('services.mdtWithin10Days'),
        intakeWithin14Days: {
          $switch: {
            branches: [
              { case: { $eq: ['$outcome', 'completed'] }, then: 'Yes' },
              { case: { $eq: ['$outcome', 'completed-late'] }, then: 'No' },
              { case: { $lte: ['$overdueAt', context.now] }, then: 'No' },
            ],
            default: 'In progress',
          },
        },
      },
    },
  ],
  columns: [
    { key: 'agency', title: 'Agency Name', type: 'string', total: { label: 'Total Yes' } },
    { key: 'leadAgency', title: 'DCFS or Probation Lead', type: 'string' },
    { key: 'number', title: 'Assignment #', type: 'string' },
    { key: 'youth', title: "Youth's Name", type: 'string' },
    { key: 'assignmentDate', title: 'Assignment Date', type: 'date' },
    { key: 'respondedWithin90Minutes', title: 'Response within 90 Minutes', type: 'boolean', total: 'countTrue' },
    { key: 'humanitarianBag', title: 'Humanitarian Bag Provided', type: 'boolean', total: 'countTrue' },
    { key: 'medicalClearanceExam', title: 'CSEC Medical Clearance Exam', type: 'boolean', total: 'countTrue' },
    { key: 'mdtWithin10Days', title: 'MDT within 10 Days', type: 'boolean', total: 'countTrue' },
    { key: 'intakeWithin14Days', title: 'FRP Intake within 14 Days', type: 'string' },
  ],
  totals: true,
};

export default report;
