/**
 * FRP Crisis Response Report, second table: of the FRP Intake forms submitted in the month, the
 * number and percent by law enforcement agency, staging area, trafficker identified and
 * arrested, status at 72 hours and 10 days, responding unit, out of county/state, initial
 * placement decision, SART completed and CSEC medical clearance.
 */
import type { ReportDefinition } from '../src/reports/report-definition.js';
import type { Pipeline } from '../src/store/types.js';
import { MANAGEMENT_ROLES, caseFilters, monthParameters, type MonthParams, submittedInMonth } from './_cts.js';

/** [measure title, field of the FRP Intake form] in the seeds' order. */
const MEASURES: [string, string][] = [
  ['Law Enforcement Agency', 'response.lawEnforcementAgency'],
  ['Staging Area', 'response.stagingArea'],
  ['Trafficker Identified', 'trafficker.identified'],
  ['Trafficker Arrested', 'trafficker.arrested'],
  ['Status of Youth at 72 Hours', 'outcome.statusAt72Hours'],
  ['Status of Youth at 10 Days', 'outcome.statusAt10Days'],
  ['Responding DCFS/Probation Unit', 'response.respondingUnit'],
  ['Out of County/Out of State Youth', 'response.outOfCountyOrState'],
  ['Initial Placement Housing Decision', 'outcome.initialPlacementDecision'],
  ['SART Completed', 'services.sartCompleted'],
  ['CSEC Medical Clearance', 'services.medicalClearanceExam'],
];

/** Yes/No for booleans, the answer as chosen otherwise, "(not answered)" when empty. */
const answer = {
  $switch: {
    branches: [
      { case: { $eq: ['$_id', true] }, then: 'Yes' },
      { case: { $eq: ['$_id', false] }, then: 'No' },
      { case: { $in: ['$_id', [null, '']] }, then: '(not answered)' },
    ],
    default: '$_id',
  },
};

function breakdown(measure: string, field: string, position: number): Pipeline {
  return [
    { $group: { _id: { $ifNull: [`$data.${field}`, null] }, number: { $sum: 1 } } },
    { $project: { _id: 0, position: { $literal: position }, measure: { $literal: measure }, value: answer, number: 1 } },
  ];
}

const report: ReportDefinition<MonthParams> = {
  id: 'frp-crisis-response-measures',
  title: 'FRP Crisis Response Report: FRP Intake Measures',
  description: 'Of all FRP Intake forms submitted in the month: number and percent by each measure of the FRP Intake form.',
  parameters: monthParameters,
  roles: MANAGEMENT_ROLES,
  ...submittedInMonth('frp-intake'),
  pipeline: (params) => [
    { $match: caseFilters(params) },
    {
      $facet: {
        intakes: [{ $group: { _id: null, n: { $sum: 1 } } }],
        ...Object.fromEntries(MEASURES.map(([measure, field], i) => [`m${i}`, breakdown(measure, field, i)])),
      },
    },
    { $project: { of: { $ifNull: [{ $arrayElemAt: ['$intakes.n', 0] }, 0] }, rows: { $concatArrays: MEASURES.map((_, i) => `$m${i}`) } } },
    { $unwind: '$rows' },
    { $replaceRoot: { newRoot: { $mergeObjects: ['$rows', { of: '$of' }] } } },
    { $sort: { position: 1, number: -1, value: 1 } },
  ],
  columns: [
    { key: 'measure', title: 'Measure', type: 'string' },
    { key: 'value', title: 'Answer', type: 'string' },
    { key: 'number', title: 'Number', type: 'integer' },
    { key: 'of', title: 'FRP Intakes', type: 'integer' },
    { key: 'percent', title: 'Percent', type: 'percent', ratio: ['number', 'of'] },
  ],
  chart: { type: 'bar', x: ['measure', 'value'], y: ['number'], title: 'FRP Intake answers' },
};

export default report;
