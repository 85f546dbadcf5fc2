/**
 * A realistic year of a large county's CTS data, generated reproducibly (seeded): assignments
 * spread over the year (a fifth FRP, seven in ten DCFS-led), their deliverable documents (most on
 * time, some late, some never), terminations with their reports, extension requests, FRP
 * intakes, and about two advocate activities per month of service; each case's worker and
 * supervisor (units of workers under a supervisor, in offices) and the approval tasks of its
 * referral, advocacy plans, extension requests and termination report (cts-tasks.ts), those of
 * the year's last days still open. Written in batches through
 * cts-records.ts, so each case's deliverables are what the engine computes, and the period
 * reviews' tallies counted at the end.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineServices } from '../src/services.js';
import type { CaseRecord } from '../src/documents/case-service.js';
import type { DocumentRecord } from '../src/documents/document-service.js';
import { newId } from '../src/store/ids.js';
import { addDays } from '../src/runtime/time/local-date.js';
import type { TaskRecord } from '../src/runtime/task-service.js';
import { assignmentRecord, documentRecord, storeAssignments, type DocumentSpec } from './cts-records.js';
import { CHAINS, chainTasks, taskTemplates, type Decider } from './cts-tasks.js';
import { seededRandom as random } from './seeded-random.js';

export interface YearOptions {
  cases: number;
  year: number;
  seed?: number;
  formsDir: string;
  /** Called after each batch with the cases written so far. */
  progress?: (written: number) => void;
}

async function lookup(formsDir: string, key: string): Promise<string[]> {
  const content = JSON.parse(await readFile(path.join(formsDir, 'lookups', `${key}.lookup.json`), 'utf8')) as { items: { code: string }[] };
  return content.items.map((item) => item.code);
}

const BATCH = 1000;
/** One advocate for about every 25 assignments a year, per agency. */
const CASES_PER_ADVOCATE = 25;
/** One worker (CSW or DPO) for about every 40 assignments a year, in units of 8 under a supervisor. */
const CASES_PER_WORKER = 40;
const UNIT_SIZE = 8;
const OFFICES = { DCFS: 20, Probation: 5 } as const;
/** Days from an approval step's opening to its decision: up to a week. */
const DECISION_DAYS = 7;

interface Person { id: string; name: string }
interface Worker extends Person { supervisor: Person; office: string }

export async function generateYear(services: EngineServices, options: YearOptions): Promise<{ cases: number; documents: number; tasks: number; users: number }> {
  const rnd = random(options.seed ?? 20261201);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const chance = (p: number) => rnd() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const [agencies, reasons, activityTypes, leAgencies, stagingAreas, statuses, units, housing] = await Promise.all(
    ['advocacy-agencies', 'termination-reasons', 'activity-types', 'law-enforcement-agencies', 'staging-areas', 'youth-statuses', 'responding-units', 'housing-decisions']
      .map((key) => lookup(options.formsDir, key)),
  );
  // Working hours (8-18) in Pacific standard time: never near midnight, so the local day is the given one all year.
  const zoneTime = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00-08:00`);
  const yearStart = `${options.year}-01-01`;
  const yearEnd = `${options.year}-12-31`;

  // Advocates (data only: no password, they cannot sign in).
  const advocates = new Map<string, string[]>();
  const users = [];
  const perAgency = Math.max(1, Math.ceil(options.cases / CASES_PER_ADVOCATE / agencies.length));
  for (const [a, agency] of agencies.entries()) {
    const ids: string[] = [];
    for (let i = 0; i < perAgency; i++) {
      const _id = newId();
      ids.push(_id);
      users.push({
        _id, email: `gen.advocate.${a}.${i}@example.org`, firstName: `Advocate${i}`, lastName: `Agency${a}`, roles: ['Advocate'],
        attributes: { agency }, active: true, locked: false, createdAt: zoneTime(yearStart, 8),
      });
    }
    advocates.set(agency, ids);
  }
  const agencyAdmins = new Map<string, Person>();
  const person = (roles: string[], attributes: Record<string, unknown>, first: string, last: string, email: string): Person => {
    const _id = newId();
    users.push({ _id, email, firstName: first, lastName: last, roles, attributes, active: true, locked: false, createdAt: zoneTime(yearStart, 8) });
    return { id: _id, name: `${first} ${last}` };
  };
  for (const [a, agency] of agencies.entries()) agencyAdmins.set(agency, person(['Agency Admin'], { agency }, 'Admin', `Agency${a}`, `gen.agency-admin.${a}@example.org`));
  // Workers and supervisors of each department, in units of UNIT_SIZE spread over its offices.
  const workers = { DCFS: [] as Worker[], Probation: [] as Worker[] };
  for (const [department, share, workerRole, supervisorRole] of [['DCFS', 0.7, 'CSW', 'SCSW'], ['Probation', 0.3, 'DPO', 'SDPO']] as const) {
    const count = Math.max(1, Math.ceil((options.cases * share) / CASES_PER_WORKER));
    for (let u = 0; u * UNIT_SIZE < count; u++) {
      const office = `${department} Office ${u % OFFICES[department]}`;
      const unit = `${department}-${u}`;
      const supervisor = person([supervisorRole], { department, office, unit }, 'Supervisor', `${department}${u}`, `gen.${supervisorRole.toLowerCase()}.${u}@example.org`);
      for (let i = 0; i < UNIT_SIZE && u * UNIT_SIZE + i < count; i++) {
        workers[department].push({ ...person([workerRole], { department, office, unit }, `Worker${i}`, `${department}${u}`, `gen.${workerRole.toLowerCase()}.${u}.${i}@example.org`), supervisor, office });
      }
    }
  }
  const csecAdmins = {
    DCFS: person(['DCFS CSEC Admin'], { department: 'DCFS' }, 'Admin', 'DCFS', 'gen.csec-admin.dcfs@example.org'),
    Probation: person(['Probation CSEC Admin'], { department: 'Probation' }, 'Admin', 'Probation', 'gen.csec-admin.probation@example.org'),
  };
  const cpm = person(['CPM'], { department: 'DCFS' }, 'Program', 'Manager', 'gen.cpm@example.org');
  for (let i = 0; i < users.length; i += BATCH) await services.users.users.insertMany(users.slice(i, i + BATCH));
  const templates = await taskTemplates(services);
  // Steps that would be decided after the data's last working day are still open.
  const asOf = zoneTime(yearEnd, 18);
  const delay = () => rnd() * DECISION_DAYS;

  let documentCount = 0;
  let taskCount = 0;
  for (let first = 0; first < options.cases; first += BATCH) {
    const cases: CaseRecord[] = [];
    const documents: DocumentRecord[] = [];
    const tasks: TaskRecord[] = [];
    for (let n = first; n < Math.min(options.cases, first + BATCH); n++) {
      const agency = pick(agencies);
      const advocate = pick(advocates.get(agency)!);
      const assignmentDate = addDays(yearStart, between(0, 364));
      const frp = chance(0.2);
      const leadAgency = chance(0.7) ? 'DCFS' : 'Probation';
      const worker = pick(workers[leadAgency]);
      const [workerRole, supervisorRole] = leadAgency === 'DCFS' ? ['CSW', 'SCSW'] : ['DPO', 'SDPO'];
      const served = between(60, 540);
      const terminationDate = chance(0.35) && addDays(assignmentDate, served) <= yearEnd ? addDays(assignmentDate, served) : undefined;
      const record = assignmentRecord({
        number: `A-${String(n + 1).padStart(6, '0')}`, agency, leadAgency, office: worker.office,
        referralType: frp ? 'FRP Response Only' : 'Ongoing Advocacy Services', assignmentDate, terminationDate,
        youthFirstName: `First${n % 997}`, youthLastName: `Last${n % 1009}`, createdBy: worker.id,
        people: [{ role: workerRole, userId: worker.id }, { role: supervisorRole, userId: worker.supervisor.id }, { role: 'Advocate', userId: advocate }],
      }, zoneTime(assignmentDate, 9));
      cases.push(record);
      const deciders: Record<Decider, Person> = { worker, supervisor: worker.supervisor, admin: csecAdmins[leadAgency], cpm, agency: agencyAdmins.get(agency)! };
      // The referral was approved and assigned in the days before the assignment date.
      tasks.push(...chainTasks(templates, { chain: CHAINS.referral, caseId: record._id, opensAt: zoneTime(addDays(assignmentDate, -4), 9), deciders, delay: () => 1, asOf }));
      const until = terminationDate ?? yearEnd;
      const add = (spec: DocumentSpec) => {
        const doc = documentRecord(record, { createdBy: advocate, ...spec }, zoneTime(assignmentDate, 10));
        documents.push(doc);
        const chain = CHAINS[spec.form as keyof typeof CHAINS];
        if (chain && spec.submittedAt) tasks.push(...chainTasks(templates, { chain, caseId: record._id, documentId: doc._id, opensAt: spec.submittedAt, deciders, delay, asOf }));
      };
      // A deliverable due `due` days after the assignment, if its due day has come: 80% on time, 10% late, 10% never.
      const deliver = (form: string, opens: number, due: number, data: Record<string, unknown> = {}) => {
        const dueDate = addDays(assignmentDate, due);
        if (dueDate > until) return;
        const r = rnd();
        if (r >= 0.9) return;
        const day = r < 0.8 ? addDays(assignmentDate, between(opens, due)) : addDays(dueDate, between(1, 20));
        if (day <= yearEnd) add({ form, data, submittedAt: zoneTime(day, between(8, 18)) });
      };
      if (frp) {
        deliver('frp-intake', 0, 14, {
          response: { respondedWithin90Minutes: chance(0.85), lawEnforcementAgency: pick(leAgencies), stagingArea: pick(stagingAreas), respondingUnit: pick(units), outOfCountyOrState: chance(0.1) },
          services: { humanitarianBagProvided: chance(0.9), medicalClearanceExam: chance(0.6), sartCompleted: chance(0.3), mdtWithin10Days: chance(0.7) },
          trafficker: { identified: chance(0.4), arrested: chance(0.15) },
          outcome: { initialPlacementDecision: pick(housing), statusAt72Hours: pick(statuses), statusAt10Days: pick(statuses) },
        });
      } else {
        deliver('safety-plan', 0, 14);
      }
      deliver('strengths-needs-assessment', 0, 30);
      deliver('advocacy-plan', 0, 30, { phase: 'Phase I (Crisis/Stabilization)' });
      deliver('advocacy-plan', 120, 134, { phase: 'Phase II (Stabilization/Maintenance)' });
      deliver('six-month-review', 180, 194);
      deliver('advocacy-plan', 300, 314, { phase: 'Phase III (Transition)' });
      if (chance(0.6)) deliver('extension-request', 330, 345, { extensionNumber: 'First Extension', requestDate: addDays(assignmentDate, 335), daysSinceAssignment: 335, beyond18Months: false, cpmWrittenApproval: false });
      if (terminationDate && chance(0.9)) {
        const goals = pick(['All', 'Some', 'None']);
        const day = addDays(terminationDate, between(1, 14));
        if (day <= yearEnd) add({ form: 'termination-report', submittedAt: zoneTime(day, 15), data: { terminationDate, terminationReason: pick(reasons), goalsAchieved: goals, daysServed: served } });
      }
      // About two activities a month while the youth is served.
      for (let day = addDays(assignmentDate, between(1, 15)); day <= until; day = addDays(day, between(8, 22))) {
        const completed = chance(0.8);
        add({
          form: 'advocate-activity', ...(chance(0.7) ? { submittedAt: zoneTime(day, 17) } : {}),
          data: { activityDate: day, activityType: pick(activityTypes), serviceMinutes: 15 * between(1, 8), isCompleted: completed, signedUp: 0, participants: between(1, 3) },
        });
      }
    }
    await storeAssignments(services, cases, documents);
    for (let i = 0; i < tasks.length; i += 2000) await services.tasks.tasks.insertMany(tasks.slice(i, i + 2000));
    documentCount += documents.length;
    taskCount += tasks.length;
    options.progress?.(Math.min(options.cases, first + BATCH));
  }
  // Written straight to the store: the period reviews' tallies are counted once at the end.
  await services.periodReviews.recount();
  return { cases: options.cases, documents: documentCount, tasks: taskCount, users: users.length };
}
