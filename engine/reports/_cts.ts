/**
 * What the CTS reports share: the report month and the optional agency and lead department
 * parameters, who may run management reports, and the month's bounds in county time.
 */
import type { ReportContext, ReportDefinition } from '../src/reports/report-definition.js';
import type { Filter } from '../src/store/types.js';

export const MANAGEMENT_ROLES = ['DCFS CSEC Admin', 'Probation CSEC Admin', 'CPM', 'Agency Admin', 'program-admin'];

export const AGENCIES = ['Harbor Youth Advocates', 'Bridgeway Youth Services'];
export const LEAD_AGENCIES = ['DCFS', 'Probation'];

export interface MonthParams {
  month: string;
  agency?: string;
  leadAgency?: string;
}

export const monthParameters = {
  type: 'object',
  required: ['month'],
  additionalProperties: false,
  properties: {
    month: { type: 'string', title: 'Report Month', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' },
    agency: { type: 'string', title: 'Advocacy Agency', enum: AGENCIES },
    leadAgency: { type: 'string', title: 'Lead Agency', enum: LEAD_AGENCIES },
  },
};

export interface MonthBounds {
  /** First and last day, 'YYYY-MM-DD'. */
  first: string;
  last: string;
  /** Midnight (county time) starting the month and the next month. */
  start: Date;
  end: Date;
}

export function monthBounds(month: string, context: ReportContext): MonthBounds {
  const [year, m] = month.split('-').map(Number);
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return {
    first: `${month}-01`,
    last: `${month}-${String(days).padStart(2, '0')}`,
    start: context.toInstant(`${month}-01`),
    end: context.toInstant(`${next}-01`),
  };
}

/** The agency and lead-department parameters as a filter on the joined case (or on the case itself: prefix ''). */
export function caseFilters(params: MonthParams, prefix = 'case.'): Filter {
  const filter: Filter = {};
  if (params.agency) filter[`${prefix}data.advocacyAgency`] = params.agency;
  if (params.leadAgency) filter[`${prefix}data.leadAgency`] = params.leadAgency;
  return filter;
}

/** "Last, First" of the joined case's youth. */
export const youthName = { $concat: [{ $ifNull: ['$case.data.youthLastName', ''] }, ', ', { $ifNull: ['$case.data.youthFirstName', ''] }] };

/** Where a report over one form's documents submitted in the report month reads them from. */
export function submittedInMonth(form: string) {
  return {
    source: { collection: 'documents', caseField: 'caseId' },
    indexes: [{ key: { form: 1, submittedAt: 1 } }],
    match: ({ month }: MonthParams, context: ReportContext): Filter => {
      const { start, end } = monthBounds(month, context);
      return { form, stage: 'submitted', submittedAt: { $gte: start, $lt: end } };
    },
  } satisfies Pick<ReportDefinition<MonthParams>, 'source' | 'indexes' | 'match'>;
}
