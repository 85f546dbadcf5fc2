/**
 * Every cell of each CTS report (engine/reports/) over a data set whose expected numbers are
 * worked out by hand below, for December 2026 (county time, UTC-8), run through the HTTP API
 * on the embedded store. Boundary cases: a deliverable submitted at 23:30 on its last due day
 * (already the next day in UTC), one a day late, a business-day deadline across the
 * Thanksgiving holidays, a case moved to another agency mid-month, and month edges in county time.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../engine/src/runtime/time/index.js';
import type { CaseRecord } from '../../engine/src/documents/case-service.js';
import type { DocumentRecord } from '../../engine/src/documents/document-service.js';
import { assignmentRecord, documentRecord, storeAssignments, type AssignmentSpec, type DocumentSpec } from '../../engine/bench/cts-records.js';
import { repoRoot, startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { readSheet } from '../support/xlsx.js';

const HARBOR = 'Harbor Youth Advocates';
const BRIDGEWAY = 'Bridgeway Youth Services';
/** A county-time instant (PST, UTC-8, in November to January). */
const local = (dateTime: string) => new Date(`${dateTime}:00-08:00`);

const clock = new TestClock('2027-01-08T18:00:00Z'); // Friday 2027-01-08, 10:00 county time
let t: TestEngine;
let dir: string;
let cpm: Client;
let harborAdmin: Client;
let jonesId: string;
let chenId: string;

const cases = new Map<string, CaseRecord>();
const documents: DocumentRecord[] = [];
function assignment(spec: AssignmentSpec): CaseRecord {
  const record = assignmentRecord(spec, local('2026-11-01T09:00'));
  cases.set(spec.number, record);
  return record;
}
function doc(number: string, spec: DocumentSpec): void {
  documents.push(documentRecord(cases.get(number)!, spec, local('2026-11-01T09:00')));
}
const plan = (phase: string) => ({ phase });

beforeAll(async () => {
  // The test users only: no demo cases, so every number below comes from this file.
  const fixture = JSON.parse(await readFile(path.join(repoRoot, 'test/fixtures/api-demo-data.json'), 'utf8'));
  dir = await mkdtemp(path.join(os.tmpdir(), 'cts-reports-'));
  const demoData = path.join(dir, 'users.json');
  await writeFile(demoData, JSON.stringify({ ...fixture, cases: [] }));
  t = await startTestEngine({}, { clock, demoData });
  cpm = await t.login('cpm.wilson@example.org');
  harborAdmin = await t.login('agency.admin@example.org');
  const users = t.engine.services.users.users;
  jonesId = (await users.findOne({ email: 'advocate.jones@example.org' }))!._id;
  chenId = (await users.findOne({ email: 'advocate.chen@example.org' }))!._id;

  // A: Harbor, DCFS, ongoing, assigned 2026-11-20. Safety Plan due 12-04 (P14D): submitted 12-04 23:30
  // county time = 12-05 07:30 UTC, on time. S&NA due 12-20 (P30D): submitted 12-21, one day late.
  // Advocacy Plan I due 12-20: never submitted.
  assignment({ number: 'A-000001', agency: HARBOR, assignmentDate: '2026-11-20', youthFirstName: 'Ana', youthLastName: 'Alpha' });
  doc('A-000001', { form: 'safety-plan', data: {}, submittedAt: local('2026-12-04T23:30') });
  doc('A-000001', { form: 'strengths-needs-assessment', data: {}, submittedAt: local('2026-12-21T08:00') });
  // B: Bridgeway, Probation, FRP, assigned 2026-11-25. FRP Intake due 12-09: submitted 12-01, on time.
  // S&NA and Advocacy Plan I due 12-25: S&NA never, the plan on 2027-01-05 (late, after the month).
  assignment({ number: 'A-000002', agency: BRIDGEWAY, leadAgency: 'Probation', referralType: 'FRP Response Only', assignmentDate: '2026-11-25', youthFirstName: 'Ben', youthLastName: 'Bravo' });
  doc('A-000002', { form: 'frp-intake', data: { response: { lawEnforcementAgency: 'Los Angeles Police Department' } }, submittedAt: local('2026-12-01T10:00') });
  doc('A-000002', { form: 'advocacy-plan', data: plan('Phase I (Crisis/Stabilization)'), submittedAt: local('2027-01-05T10:00') });
  // C: Harbor, DCFS, assigned 2026-06-01, terminated Friday 2026-11-20. The Termination Report is due
  // 7 business days later: Nov 23, 24, 25, (26 and 27 are county holidays), 30, Dec 1, 2, 3 -> 12-03,
  // submitted on it. Safety Plan (due 06-15), S&NA (07-01) and Advocacy Plan II (10-13) never came;
  // Advocacy Plan I (due 07-01) came late on 08-01. The Six-Month Review (due 12-12) is not
  // required: the youth left before it.
  assignment({ number: 'A-000003', agency: HARBOR, assignmentDate: '2026-06-01', terminationDate: '2026-11-20', youthFirstName: 'Cy', youthLastName: 'Charlie' });
  doc('A-000003', { form: 'advocacy-plan', data: plan('Phase I (Crisis/Stabilization)'), submittedAt: local('2026-08-01T10:00') });
  doc('A-000003', {
    form: 'termination-report', submittedAt: local('2026-12-03T16:00'),
    data: { terminationDate: '2026-11-20', terminationReason: 'Completed Program', goalsAchieved: 'All', daysServed: 172 },
  });
  // D: assigned 2026-11-22 to Bridgeway, whose advocate submitted the Safety Plan (due 12-06) on 12-05;
  // moved to Harbor on 12-10 (stored below after the documents). S&NA and Plan I (due 12-22) never came.
  assignment({ number: 'A-000004', agency: BRIDGEWAY, assignmentDate: '2026-11-22', youthFirstName: 'Dee', youthLastName: 'Delta' });
  doc('A-000004', { form: 'safety-plan', data: {}, submittedAt: local('2026-12-05T10:00'), createdBy: chenId });
  doc('A-000004', { form: 'advocate-activity', createdBy: chenId, data: { activityDate: '2026-12-05', activityType: 'Advocacy', serviceMinutes: 50, isCompleted: true, participants: 1 } });
  doc('A-000004', { form: 'advocate-activity', createdBy: jonesId, data: { youth: { advocacyAgency: HARBOR }, activityDate: '2026-12-15', activityType: 'Advocacy', serviceMinutes: 40, isCompleted: false, participants: 1 } });

  // FRP referrals assigned in December. F1 Harbor: intake due 12-16, submitted on 12-16. F2 Bridgeway:
  // due 12-24, submitted 12-25 (late). F3 Harbor: assigned 12-28, due 2027-01-11, still open today (01-08).
  assignment({ number: 'A-000005', agency: HARBOR, referralType: 'FRP Response Only', assignmentDate: '2026-12-02', youthFirstName: 'Eve', youthLastName: 'Echo' });
  doc('A-000005', {
    form: 'frp-intake', submittedAt: local('2026-12-16T17:00'),
    data: {
      response: { respondedWithin90Minutes: true, lawEnforcementAgency: 'Los Angeles Police Department', stagingArea: 'Hospital/Medical Hub', outOfCountyOrState: false },
      services: { humanitarianBagProvided: true, medicalClearanceExam: false, mdtWithin10Days: true, sartCompleted: true },
      trafficker: { identified: true, arrested: false },
      outcome: { statusAt72Hours: 'In Placement', statusAt10Days: 'In Placement', initialPlacementDecision: 'Resource Family Home' },
    },
  });
  assignment({ number: 'A-000006', agency: BRIDGEWAY, leadAgency: 'Probation', referralType: 'FRP Response Only', assignmentDate: '2026-12-10', youthFirstName: 'Fay', youthLastName: 'Foxtrot' });
  doc('A-000006', {
    form: 'frp-intake', submittedAt: local('2026-12-25T09:00'),
    data: {
      response: { respondedWithin90Minutes: false, lawEnforcementAgency: 'Long Beach Police Department', stagingArea: 'Field', outOfCountyOrState: true },
      services: { humanitarianBagProvided: true, medicalClearanceExam: true, mdtWithin10Days: false, sartCompleted: false },
      trafficker: { identified: true, arrested: true },
      outcome: { statusAt72Hours: 'AWOL/Missing', statusAt10Days: 'In Placement', initialPlacementDecision: 'Resource Family Home' },
    },
  });
  assignment({ number: 'A-000007', agency: HARBOR, referralType: 'FRP Response Only', assignmentDate: '2026-12-28', youthFirstName: 'Gus', youthLastName: 'Golf' });

  // Terminations (assigned long ago, so no other deliverable falls in December; their early ones are
  // submitted on time). In the month: T1 Completed Program, all goals, 200 days; T2 Aged Out, some, 300;
  // T3 Ran Away, none, 100; T4 Completed Program, none, 150. Not in it: a draft (T5) and a
  // November termination (C above).
  const terminations: [string, string, string, number, boolean][] = [
    ['A-000011', 'Completed Program', 'All', 200, true], ['A-000012', 'Aged Out', 'Some', 300, true],
    ['A-000013', 'Ran Away', 'None', 100, true], ['A-000014', 'Completed Program', 'None', 150, true],
    ['A-000015', 'Refused Services', 'None', 50, false],
  ];
  for (const [number, reason, goals, days, submitted] of terminations) {
    assignment({ number, agency: HARBOR, assignmentDate: '2025-06-02', terminationDate: '2026-12-01' });
    for (const form of ['safety-plan', 'strengths-needs-assessment']) doc(number, { form, data: {}, submittedAt: local('2025-06-05T10:00') });
    for (const phase of ['Phase I (Crisis/Stabilization)', 'Phase II (Stabilization/Maintenance)', 'Phase III (Transition)']) {
      doc(number, { form: 'advocacy-plan', data: plan(phase), submittedAt: local(phase.startsWith('Phase I ') ? '2025-06-05T10:00' : phase.startsWith('Phase II ') ? '2025-10-10T10:00' : '2026-04-05T10:00') });
    }
    doc(number, { form: 'six-month-review', data: {}, submittedAt: local('2025-12-05T10:00') });
    // The Termination Report (due 12-10, seven business days after 12-01) on 12-04.
    doc(number, { form: 'termination-report', data: { terminationDate: '2026-12-01', terminationReason: reason, goalsAchieved: goals, daysServed: days }, ...(submitted ? { submittedAt: local('2026-12-04T10:00') } : {}) });
  }

  // Extension Requests: X1 and X2 in December; X3 at 23:59 on November 30 county time (07:59 UTC on
  // December 1) is November's.
  doc('A-000011', { form: 'extension-request', submittedAt: local('2026-12-03T11:00'), status: 'Pending CSW Approval', data: { extensionNumber: 'First Extension', requestDate: '2026-12-03', daysSinceAssignment: 335, beyond18Months: false, cpmWrittenApproval: false } });
  doc('A-000012', { form: 'extension-request', submittedAt: local('2026-12-20T11:00'), status: 'Approved', data: { extensionNumber: 'Second Extension', requestDate: '2026-12-20', daysSinceAssignment: 430, beyond18Months: true, cpmWrittenApproval: true } });
  doc('A-000013', { form: 'extension-request', submittedAt: local('2026-11-30T23:59'), data: { extensionNumber: 'First Extension', requestDate: '2026-11-30' } });

  // Activities (Jones at Harbor, Chen at Bridgeway) on A and B; November 30 and January 1 are outside.
  const activity = (number: string, by: string, date: string, type: string, minutes: number, completed: boolean, extra: Record<string, number> = {}) =>
    doc(number, { form: 'advocate-activity', createdBy: by, data: { activityDate: date, activityType: type, serviceMinutes: minutes, isCompleted: completed, ...extra } });
  activity('A-000001', jonesId, '2026-12-01', 'Advocacy', 60, true, { participants: 1 });
  activity('A-000001', jonesId, '2026-12-10', 'Advocacy', 30, false, { participants: 1 });
  activity('A-000001', jonesId, '2026-12-31', 'Advocacy', 45, false, { participants: 1 });
  activity('A-000001', jonesId, '2026-12-12', 'Youth Workshop', 120, true, { signedUp: 10, participants: 8 });
  activity('A-000001', jonesId, '2026-11-30', 'Advocacy', 99, true);
  activity('A-000001', jonesId, '2027-01-01', 'Advocacy', 99, true);
  activity('A-000002', chenId, '2026-12-02', 'Advocacy', 15, true);
  activity('A-000002', chenId, '2026-12-03', 'Advocacy', 15, false);

  const { services } = t.engine;
  await storeAssignments(services, [...cases.values()], documents);
  // D moves to Harbor on 12-10 through the case service, which recomputes its deliverables.
  const moved = cases.get('A-000004')!;
  await services.cases.cases.updateOne({ _id: moved._id }, { $set: { 'data.advocacyAgency': HARBOR }, $inc: { version: 1 } });
  await services.deliverables.refresh(moved._id);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(client: Client, id: string, query = 'month=2026-12') {
  const res = await client.get(`/api/reports/${id}?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { rows: Record<string, unknown>[]; totals: Record<string, unknown> | null; chartData: unknown };
}

describe('CTS reports, every cell against hand-computed numbers (December 2026)', () => {
  it('Deliverables: due in the month, completed within the timeframe, by agency and deliverable', async () => {
    const row = (agency: string, deliverable: string, due: number, onTime: number, late: number, notCompleted: number, onTimePercent: number) =>
      ({ agency, deliverable, due, onTime, late, notCompleted, onTimePercent });
    const { rows, totals } = await run(cpm, 'deliverables');
    expect(rows).toEqual([
      // B on time; F2 (due 12-24) a day late.
      row(BRIDGEWAY, 'FRP Intake', 2, 1, 1, 0, 50),
      // B: the S&NA never came, Plan I came in January (late). F2's are due in January.
      row(BRIDGEWAY, 'Intake Strengths and Needs Assessment', 1, 0, 0, 1, 0),
      row(BRIDGEWAY, 'Advocacy Plan Phase I (Crisis/Stabilization)', 1, 0, 1, 0, 0),
      // F1 on its last day (12-16); F3 is due in January.
      row(HARBOR, 'FRP Intake', 1, 1, 0, 0, 100),
      // A at 23:30 on its due day, and D (moved to Harbor: counted for Harbor only): both on time.
      row(HARBOR, 'Safety Plan', 2, 2, 0, 0, 100),
      // A one day late, D never.
      row(HARBOR, 'Intake Strengths and Needs Assessment', 2, 0, 1, 1, 0),
      row(HARBOR, 'Advocacy Plan Phase I (Crisis/Stabilization)', 2, 0, 0, 2, 0),
      // C on 12-03 (across the holidays) and T1-T4 on 12-04, on time; T5 never submitted.
      row(HARBOR, 'Termination Report', 6, 5, 0, 1, 83.3),
    ]);
    expect(totals).toEqual({ agency: 'Total', deliverable: null, due: 17, onTime: 9, late: 3, notCompleted: 5, onTimePercent: 52.9 });
    // The chart draws each deliverable once, both agencies' rows added up.
    const { chartData } = await run(cpm, 'deliverables');
    expect(chartData).toEqual({
      categories: ['FRP Intake', 'Intake Strengths and Needs Assessment', 'Advocacy Plan Phase I (Crisis/Stabilization)', 'Safety Plan', 'Termination Report'],
      series: [
        { key: 'onTime', title: 'Completed within Timeframe', values: [2, 0, 0, 2, 5] },
        { key: 'late', title: 'Completed Late', values: [1, 1, 1, 0, 0] },
        { key: 'notCompleted', title: 'Not Completed', values: [0, 2, 2, 0, 1] },
      ],
      categoryCount: 5,
    });
  });

  it('Overdue Alerts: every deliverable overdue in the month, days overdue at month end or at submission', async () => {
    const row = (agency: string, number: string, youth: string, leadAgency: string, deliverable: string, dueDate: string, submitted: string | null, daysOverdue: number) =>
      ({ agency, number, youth, leadAgency, deliverable, dueDate, submitted, daysOverdue, status: submitted ? 'Submitted late' : 'Overdue' });
    const SNA = 'Intake Strengths and Needs Assessment';
    const PLAN1 = 'Advocacy Plan Phase I (Crisis/Stabilization)';
    const deliverables = t.engine.services.store.collection('deliverables') as unknown as { coveredReads?: { fromKeys: number; fromDocuments: number } };
    const before = { ...deliverables.coveredReads };
    const { rows, totals } = await run(cpm, 'overdue-alerts');
    if (t.engine.services.store.kind === 'embedded') {
      // Its indexes hold every field it reads of a deliverable (null completions too): each one comes from the keys.
      expect(deliverables.coveredReads!.fromKeys - before.fromKeys!).toBeGreaterThanOrEqual(13);
      expect(deliverables.coveredReads!.fromDocuments).toBe(before.fromDocuments);
    }
    expect(rows).toEqual([
      // F2 a day late (submitted 12-25 for 12-24).
      row(BRIDGEWAY, 'A-000006', 'Foxtrot, Fay', 'Probation', 'FRP Intake', '2026-12-24', '2026-12-25', 1),
      // B: Plan I came on 2027-01-05, after the month: overdue at its end, 12-25 -> 12-31.
      row(BRIDGEWAY, 'A-000002', 'Bravo, Ben', 'Probation', PLAN1, '2026-12-25', null, 6),
      row(BRIDGEWAY, 'A-000002', 'Bravo, Ben', 'Probation', SNA, '2026-12-25', null, 6),
      // C since the summer: 06-15 -> 12-31 is 15 + 31 + 31 + 30 + 31 + 30 + 31 days; Plan I came late in August (not listed).
      row(HARBOR, 'A-000003', 'Charlie, Cy', 'DCFS', 'Safety Plan', '2026-06-15', null, 199),
      row(HARBOR, 'A-000003', 'Charlie, Cy', 'DCFS', SNA, '2026-07-01', null, 183),
      row(HARBOR, 'A-000003', 'Charlie, Cy', 'DCFS', 'Advocacy Plan Phase II (Stabilization/Maintenance)', '2026-10-13', null, 79),
      // T5's Termination Report, due 12-10, only drafted.
      row(HARBOR, 'A-000015', 'A-000015, Youth', 'DCFS', 'Termination Report', '2026-12-10', null, 21),
      row(HARBOR, 'A-000001', 'Alpha, Ana', 'DCFS', PLAN1, '2026-12-20', null, 11),
      row(HARBOR, 'A-000001', 'Alpha, Ana', 'DCFS', SNA, '2026-12-20', '2026-12-21', 1),
      // D, moved to Harbor.
      row(HARBOR, 'A-000004', 'Delta, Dee', 'DCFS', PLAN1, '2026-12-22', null, 9),
      row(HARBOR, 'A-000004', 'Delta, Dee', 'DCFS', SNA, '2026-12-22', null, 9),
    ]);
    expect(totals).toBeNull();
  });

  it('Extension: the requests submitted in the month (county time)', async () => {
    const { rows, totals } = await run(cpm, 'extension');
    const base = { agency: HARBOR, leadAgency: 'DCFS', extensionStart: null, extensionEnd: null };
    expect(rows).toEqual([
      { ...base, number: 'A-000011', youth: 'A-000011, Youth', extension: 'First Extension', requestDate: '2026-12-03', daysSinceAssignment: 335, beyond18Months: false, cpmWrittenApproval: false, status: 'Pending CSW Approval' },
      { ...base, number: 'A-000012', youth: 'A-000012, Youth', extension: 'Second Extension', requestDate: '2026-12-20', daysSinceAssignment: 430, beyond18Months: true, cpmWrittenApproval: true, status: 'Approved' },
    ]);
    expect(totals).toEqual({
      agency: 'Total requests', number: null, youth: null, leadAgency: null, extension: null, requestDate: null, extensionStart: null,
      extensionEnd: null, daysSinceAssignment: null, beyond18Months: 1, cpmWrittenApproval: 1, status: null,
    });
  });

  it('FRP Crisis Response: each FRP referral assigned in the month, with the Yes counts', async () => {
    const { rows, totals } = await run(cpm, 'frp-crisis-response');
    expect(rows).toEqual([
      { agency: HARBOR, leadAgency: 'DCFS', number: 'A-000005', youth: 'Echo, Eve', assignmentDate: '2026-12-02', respondedWithin90Minutes: true, humanitarianBag: true, medicalClearanceExam: false, mdtWithin10Days: true, intakeWithin14Days: 'Yes' },
      { agency: BRIDGEWAY, leadAgency: 'Probation', number: 'A-000006', youth: 'Foxtrot, Fay', assignmentDate: '2026-12-10', respondedWithin90Minutes: false, humanitarianBag: true, medicalClearanceExam: true, mdtWithin10Days: false, intakeWithin14Days: 'No' },
      // Due 2027-01-11, not yet submitted on 01-08.
      { agency: HARBOR, leadAgency: 'DCFS', number: 'A-000007', youth: 'Golf, Gus', assignmentDate: '2026-12-28', respondedWithin90Minutes: null, humanitarianBag: null, medicalClearanceExam: null, mdtWithin10Days: null, intakeWithin14Days: 'In progress' },
    ]);
    expect(totals).toEqual({
      agency: 'Total Yes', leadAgency: null, number: null, youth: null, assignmentDate: null,
      respondedWithin90Minutes: 1, humanitarianBag: 2, medicalClearanceExam: 1, mdtWithin10Days: 1, intakeWithin14Days: null,
    });
  });

  it('FRP Crisis Response measures: number and percent of the intakes submitted in the month', async () => {
    // Three intakes: B (12-01, law enforcement agency only), F1 and F2.
    const NA = '(not answered)';
    const m = (measure: string, value: string, number: number) => ({ measure, value, number, of: 3, percent: { 1: 33.3, 2: 66.7, 3: 100 }[number] });
    const { rows } = await run(cpm, 'frp-crisis-response-measures');
    expect(rows).toEqual([
      m('Law Enforcement Agency', 'Los Angeles Police Department', 2), m('Law Enforcement Agency', 'Long Beach Police Department', 1),
      m('Staging Area', NA, 1), m('Staging Area', 'Field', 1), m('Staging Area', 'Hospital/Medical Hub', 1),
      m('Trafficker Identified', 'Yes', 2), m('Trafficker Identified', NA, 1),
      m('Trafficker Arrested', NA, 1), m('Trafficker Arrested', 'No', 1), m('Trafficker Arrested', 'Yes', 1),
      m('Status of Youth at 72 Hours', NA, 1), m('Status of Youth at 72 Hours', 'AWOL/Missing', 1), m('Status of Youth at 72 Hours', 'In Placement', 1),
      m('Status of Youth at 10 Days', 'In Placement', 2), m('Status of Youth at 10 Days', NA, 1),
      m('Responding DCFS/Probation Unit', NA, 3),
      m('Out of County/Out of State Youth', NA, 1), m('Out of County/Out of State Youth', 'No', 1), m('Out of County/Out of State Youth', 'Yes', 1),
      m('Initial Placement Housing Decision', 'Resource Family Home', 2), m('Initial Placement Housing Decision', NA, 1),
      m('SART Completed', NA, 1), m('SART Completed', 'No', 1), m('SART Completed', 'Yes', 1),
      m('CSEC Medical Clearance', NA, 1), m('CSEC Medical Clearance', 'No', 1), m('CSEC Medical Clearance', 'Yes', 1),
    ]);
  });

  it('Termination: days served and long-term goals, completed or aged out, all youth, by reason', async () => {
    const g = (group: string, youth: number, daysServed: number, averageDaysServed: number, someOrAll: number, someOrAllPercent: number, allGoals: number, allGoalsPercent: number) =>
      ({ group, youth, daysServed, averageDaysServed, someOrAll, someOrAllPercent, allGoals, allGoalsPercent });
    const { rows } = await run(cpm, 'termination');
    expect(rows).toEqual([
      // T1 (all, 200), T2 (some, 300), T4 (none, 150): 650 / 3 = 216.7 days; 2 of 3 some or all, 1 of 3 all.
      g('Completed Program or Aged Out', 3, 650, 216.7, 2, 66.7, 1, 33.3),
      // And T3 (none, 100).
      g('All youth', 4, 750, 187.5, 2, 50, 1, 25),
      g('Reason: Aged Out', 1, 300, 300, 1, 100, 0, 0),
      g('Reason: Completed Program', 2, 350, 175, 1, 50, 1, 50),
      g('Reason: Ran Away', 1, 100, 100, 0, 0, 0, 0),
    ]);
  });

  it('Master Activity: per advocate and activity type, with grand totals', async () => {
    const users = t.engine.services.users.users;
    const name = async (id: string) => {
      const user = (await users.findOne({ _id: id }))!;
      return `${user.lastName}, ${user.firstName}`;
    };
    const { rows, totals } = await run(cpm, 'master-activity');
    expect(rows).toEqual([
      // Two on B, and the one on D logged while D was Bridgeway's (the agency recorded on the activity).
      { agency: BRIDGEWAY, advocate: await name(chenId), activityType: 'Advocacy', activities: 3, completed: 2, signedUp: 0, participants: 1, serviceMinutes: 80 },
      // Three on A (60 + 30 + 45) and the one on D after the move (40).
      { agency: HARBOR, advocate: await name(jonesId), activityType: 'Advocacy', activities: 4, completed: 1, signedUp: 0, participants: 4, serviceMinutes: 175 },
      { agency: HARBOR, advocate: await name(jonesId), activityType: 'Youth Workshop', activities: 1, completed: 1, signedUp: 10, participants: 8, serviceMinutes: 120 },
    ]);
    expect(totals).toEqual({ agency: 'Grand Total', advocate: null, activityType: null, activities: 8, completed: 4, signedUp: 10, participants: 13, serviceMinutes: 375 });
    // "Activities by type": both advocates' Advocacy rows are one bar.
    expect((await run(cpm, 'master-activity')).chartData).toEqual({
      categories: ['Advocacy', 'Youth Workshop'], series: [{ key: 'activities', title: 'Activities', values: [7, 1] }], categoryCount: 2,
    });
  });
});

describe('reports through the API', () => {
  it('apply the caller\'s access scope before the pipeline: an out-of-scope case never counts', async () => {
    const all = await run(cpm, 'deliverables');
    const harbor = await run(harborAdmin, 'deliverables');
    expect(harbor.rows).toEqual(all.rows.filter((r) => r.agency === HARBOR));
    expect(harbor.totals).toEqual({ agency: 'Total', deliverable: null, due: 13, onTime: 8, late: 1, notCompleted: 4, onTimePercent: 61.5 });
    // Asking for the other agency does not widen the scope.
    expect((await run(harborAdmin, 'deliverables', `month=2026-12&agency=${encodeURIComponent(BRIDGEWAY)}`)).rows).toEqual([]);
    // The parameters narrow within it.
    expect((await run(cpm, 'deliverables', 'month=2026-12&leadAgency=Probation')).rows.map((r) => [r.agency, r.deliverable, r.due]))
      .toEqual([[BRIDGEWAY, 'FRP Intake', 2], [BRIDGEWAY, 'Intake Strengths and Needs Assessment', 1], [BRIDGEWAY, 'Advocacy Plan Phase I (Crisis/Stabilization)', 1]]);
  });

  it('list what a role may run; refuse other roles (403), bad parameters (400 naming them) and unknown reports (404)', async () => {
    const list = await cpm.get('/api/reports');
    expect(list.status).toBe(200);
    expect(list.body.map((r: { id: string }) => r.id).sort()).toEqual(
      ['deliverables', 'extension', 'frp-crisis-response', 'frp-crisis-response-measures', 'master-activity', 'overdue-alerts', 'termination']);
    const deliverables = list.body.find((r: { id: string }) => r.id === 'deliverables');
    expect(deliverables.parameters.required).toEqual(['month']);
    expect(deliverables.columns.map((c: { key: string }) => c.key)).toContain('onTimePercent');
    expect(deliverables.chart).toMatchObject({ type: 'bar', x: 'deliverable' });

    const advocate = await t.login('advocate.jones@example.org');
    expect((await advocate.get('/api/reports')).body).toEqual([]);
    const refused = await advocate.get('/api/reports/deliverables?month=2026-12');
    expect(refused.status).toBe(403);
    expect((await advocate.get('/api/reports/deliverables/csv?month=2026-12')).status).toBe(403);

    const missing = await cpm.get('/api/reports/deliverables');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: '/month', message: "must have required property 'month'" }]);
    const badMonth = await cpm.get('/api/reports/deliverables?month=2026-13');
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.errors[0].path).toBe('/month');
    const unknown = await cpm.get('/api/reports/deliverables?month=2026-12&colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: '/colour', message: 'is not a parameter of this report' }]);
    const badAgency = await cpm.get('/api/reports/deliverables?month=2026-12&agency=Nobody');
    expect(badAgency.status).toBe(400);
    expect(badAgency.body.errors[0].path).toBe('/agency');
    expect((await cpm.get('/api/reports/no-such-report?month=2026-12')).status).toBe(404);
  });

  it('CSV and XLSX hold the same numbers as the JSON answer', async () => {
    const json = await cpm.get('/api/reports/deliverables?month=2026-12');
    const cells = (row: Record<string, unknown>) => json.body.columns.map((c: { key: string }) => row[c.key]);
    const expected = [json.body.columns.map((c: { title: string }) => c.title), ...json.body.rows.map(cells), cells(json.body.totals)];

    const csv = await cpm.get('/api/reports/deliverables/csv?month=2026-12');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="deliverables-2026-12.csv"');
    const lines = csv.raw.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => line.split(','))).toEqual(expected.map((row) => row.map((v: unknown) => (v === null ? '' : String(v)))));

    const res = await t.engine.http.inject({ method: 'GET', url: '/api/reports/deliverables/xlsx?month=2026-12', headers: { cookie: cpm.cookie! } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = readSheet(res.rawPayload);
    // Empty cells are absent in the sheet: compare with trailing nulls dropped.
    const trim = (row: unknown[]) => {
      const out = [...row];
      while (out.length > 0 && out[out.length - 1] === null) out.pop();
      return out;
    };
    expect(sheet.map(trim)).toEqual(expected.map(trim));
  });

  it('every definition in engine/reports runs on the demo data for every role that may run it', async () => {
    const demo = await startTestEngine({}, { clock: new TestClock('2026-12-15T18:00:00Z') });
    try {
      const logins = ['cpm.wilson@example.org', 'csec.admin.dcfs@example.org', 'csec.admin.probation@example.org', 'agency.admin@example.org', 'program.admin@example.org'];
      let cpmRows = 0;
      for (const email of logins) {
        const client = await demo.login(email);
        const reports = (await client.get('/api/reports')).body as { id: string; columns: { key: string }[] }[];
        expect(reports.length, email).toBe(7);
        for (const report of reports) {
          const res = await client.get(`/api/reports/${report.id}?month=2026-12`);
          expect(res.status, `${email} ${report.id}: ${JSON.stringify(res.body)}`).toBe(200);
          for (const row of res.body.rows) expect(Object.keys(row)).toEqual(report.columns.map((c) => c.key));
          if (email.startsWith('cpm.')) cpmRows += res.body.rows.length;
        }
      }
      // The demo's assignments (dated from the seeding day) give the county-wide reports something to show.
      expect(cpmRows).toBeGreaterThan(0);
    } finally {
      await demo.stop();
    }
  });

  it('the worked example of engine/reports/README.md is a working report: adding a file adds it', async () => {
    const guide = await readFile(path.join(repoRoot, 'engine/reports/README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(guide)![1];
    const reportsDir = path.join(dir, 'engine', 'reports');
    await mkdir(reportsDir, { recursive: true });
    await copyFile(path.join(repoRoot, 'engine/reports/_cts.ts'), path.join(reportsDir, '_cts.ts'));
    await writeFile(path.join(reportsDir, 'assignments-by-lead.ts'), example);
    const fixture = path.join(dir, 'users.json');
    const other = await startTestEngine({ reportsDir }, { clock, demoData: fixture });
    try {
      const made = [
        assignmentRecord({ number: 'A-000101', agency: HARBOR, referralType: 'FRP Response Only', assignmentDate: '2026-12-01' }, clock.now()),
        assignmentRecord({ number: 'A-000102', agency: HARBOR, assignmentDate: '2026-12-31' }, clock.now()),
        assignmentRecord({ number: 'A-000103', agency: BRIDGEWAY, leadAgency: 'Probation', assignmentDate: '2026-12-15' }, clock.now()),
        assignmentRecord({ number: 'A-000104', agency: BRIDGEWAY, assignmentDate: '2026-11-30' }, clock.now()),
      ];
      await storeAssignments(other.engine.services, made, []);
      const client = await other.login('cpm.wilson@example.org');
      expect((await client.get('/api/reports')).body.map((r: { id: string }) => r.id)).toEqual(['assignments-by-lead']);
      const res = await client.get('/api/reports/assignments-by-lead?month=2026-12');
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([
        { leadAgency: 'DCFS', assignments: 2, frp: 1, frpPercent: 50 },
        { leadAgency: 'Probation', assignments: 1, frp: 0, frpPercent: 0 },
      ]);
      expect(res.body.totals).toEqual({ leadAgency: 'Total', assignments: 3, frp: 1, frpPercent: 33.3 });
    } finally {
      await other.stop();
    }
  });
});
