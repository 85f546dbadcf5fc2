/** Extension Report: the Extension Requests submitted in the month, one row each. */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import { MANAGEMENT_ROLES, caseFilters, monthParameters, youthName, type MonthParams, submittedInMonth } from './_cts.js';

const report: ReportDefinition<MonthParams> = {
  id: 'extension',
  title: 'Extension Report',
  description: 'Extension Requests submitted in the month: which extension, requested dates, days since the referral assignment, beyond 18 months and CPM written approval, and where each stands.',
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  ...submittedInMonth('extension-request'),
  pipeline: (params) => [
    { $match: caseFilters(params) },
    { $sort: { submittedAt: 1, _id: 1 } },
    {
      $project: {
        _id: 0,
        agency: { $ifNull: ['$data.youth.advocacyAgency', '$case.data.advocacyAgency'] },
        number: '$case.number',
        youth: youthName,
        leadAgency: '$case.data.leadAgency',
        extension: '$data.extensionNumber',
        requestDate: '$data.requestDate',
        extensionStart: '$data.extensionStart',
        extensionEnd: '$data.extensionEnd',
        daysSinceAssignment: '$data.daysSinceAssignment',
        beyond18Months: '$data.beyond18Months',
        cpmWrittenApproval: '$data.cpmWrittenApproval',
        status: 1,
      },
    },
  ],
  columns: [
    { key: 'agency', title: 'Agency', type: 'string', total: { label: 'Total requests' } },
    { key: 'number', title: 'Assignment #', type: 'string' },
    { key: 'youth', title: 'Youth', type: 'string' },
    { key: 'leadAgency', title: 'Lead Agency', type: 'string' },
    { key: 'extension', title: 'Extension', type: 'string' },
    { key: 'requestDate', title: 'Request Date', type: 'date' },
    { key: 'extensionStart', title: 'Extension Start', type: 'date' },
    { key: 'extensionEnd', title: 'Extension End', type: 'date' },
    { key: 'daysSinceAssignment', title: 'Days since Assignment', type: 'integer' },
    { key: 'beyond18Months', title: 'Beyond 18 Months', type: 'boolean', total: 'countTrue' },
    { key: 'cpmWrittenApproval', title: 'CPM Written Approval', type: 'boolean', total: 'countTrue' },
    { key: 'status', title: 'Status', type: 'string' },
  ],
  totals: true,
};

export default report;
