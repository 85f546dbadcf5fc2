/**
 * The CTS rules kept as schema and computed fields: referral eligibility, FRP-only referrals,
 * dual supervision, termination efforts to engage, fund request totals, extension limits, ages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { SAMPLES, merge } from '../support/cts-samples.js';

let t: TestEngine;
let worker: Client;
let advocate: Client;
let poeId: string;

const youth = { youthFirstName: 'Casey', youthLastName: 'Lane', dob: '2012-03-04', language: 'English', leadAgency: 'DCFS', caseNumber: 'C-7', dualSupervision: false };
const caseInfo = { workerName: 'Maria Garcia', workerPhone: '(555) 010-1001', workerEmail: 'csw.garcia@example.org', supervisorName: 'Grace Lee' };
const ongoing = {
  referralType: 'Ongoing Advocacy Services',
  caseInfo,
  whereabouts: {
    whereabouts: 'Home of parent', caregiverName: 'Pat Lane', caregiverRelationship: 'Mother', address: '1 Example Way, Los Angeles, CA 90001',
    caregiverPhone: '(555) 010-7002', residesInCounty: true, currentlyMissing: false, consentObtained: true,
  },
  serviceComponent: 'Family Maintenance',
  reason: { status: 'At Risk', hotlineReported: 'No', attentionDescription: 'School reported concerns.' },
};

beforeAll(async () => {
  t = await startTestEngine();
  worker = await t.login('csw.garcia@example.org');
  advocate = await t.login('advocate.jones@example.org');
  poeId = (await advocate.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === 'Poe')._id;
});
afterAll(() => t?.stop());

async function submit(client: Client, caseId: string, form: string, data: Record<string, any>, signer: string) {
  const doc = (await client.post(`/api/cases/${caseId}/documents`, { form })).body;
  return client.post(`/api/documents/${doc._id}/submit`, { version: doc.version, data: merge(doc.data, data), signature: { name: signer } });
}

async function referral(data: Record<string, any>, caseData: Record<string, any> = {}) {
  const caseId = (await worker.post('/api/cases', { caseType: 'assignment', data: { ...youth, ...caseData } })).body._id;
  return submit(worker, caseId, 'csec-referral', data, 'Maria Garcia');
}

const paths = (res: { body: any }) => (res.body.errors ?? []).map((e: any) => e.path);
const withReason = (reason: Record<string, unknown>) => ({ ...ongoing, reason: { ...ongoing.reason, ...reason } });

describe('referral eligibility (policy note: one of three indicators, or two of five)', () => {
  it('accepts an at-risk youth with one of the three indicators', async () => {
    const res = await referral(withReason({ primaryIndicators: ['Spends time with people involved in commercial sex'] }));
    expect(res.body.errors ?? []).toEqual([]);
    expect(res.status).toBe(200);
  });

  it('accepts an at-risk youth with two of the five indicators', async () => {
    const res = await referral(withReason({ secondaryIndicators: ['Frequent truancy', 'Substance abuse'] }));
    expect(res.status).toBe(200);
  });

  it('refuses an at-risk youth with only one of the five, naming the indicators', async () => {
    const res = await referral(withReason({ secondaryIndicators: ['Frequent truancy'] }));
    expect(res.status).toBe(422);
    expect(paths(res)).toEqual(expect.arrayContaining(['/data/reason', '/data/reason/primaryIndicators', '/data/reason/secondaryIndicators']));
    expect(res.body.errors.find((e: any) => e.path === '/data/reason/secondaryIndicators').message).toBe('At-risk indicators (two are needed) needs at least 2 entries');
  });

  it('needs no at-risk indicator for a victim', async () => {
    expect((await referral(withReason({ status: 'Victim' }))).status).toBe(200);
  });

  it('refuses a youth who is missing, lives outside the county or has not consented', async () => {
    const res = await referral({ ...ongoing, reason: { ...ongoing.reason, status: 'Victim' }, whereabouts: { ...ongoing.whereabouts, currentlyMissing: true, residesInCounty: false, consentObtained: false } });
    expect(res.status).toBe(422);
    expect(paths(res).sort()).toEqual(['/data/whereabouts/consentObtained', '/data/whereabouts/currentlyMissing', '/data/whereabouts/residesInCounty']);
  });

  it('refuses a youth younger than 8, computing the age from the DOB', async () => {
    const dob = new Date(Date.now() - 6 * 365.25 * 86_400_000).toISOString().slice(0, 10);
    const res = await referral(withReason({ status: 'Victim' }), { dob });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/data/age', message: 'Age must be 8 or more' }]);
  });

  it('asks for the hotline referral date, or "not applicable", when the allegation was called in', async () => {
    const called = withReason({ status: 'Victim', hotlineReported: 'Yes' });
    const res = await referral(called);
    expect(res.status).toBe(422);
    expect(paths(res)).toEqual(expect.arrayContaining(['/data/reason/lastCsecReferralDate']));
    expect((await referral(withReason({ status: 'Victim', hotlineReported: 'Yes', lastCsecReferralDate: '2026-10-01' }))).status).toBe(200);
    expect((await referral(withReason({ status: 'Victim', hotlineReported: 'Yes', lastCsecReferralNotApplicable: true }))).status).toBe(200);
  });
});

describe('referral sections', () => {
  it('lets an FRP-response-only referral complete sections I and II only', async () => {
    const res = await referral({ referralType: 'FRP Response Only', caseInfo });
    expect(res.status).toBe(200);
    expect(res.body.data.dateOfReferral).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('requires sections III to V of an ongoing-services referral', async () => {
    const res = await referral({ referralType: 'Ongoing Advocacy Services', caseInfo });
    expect(res.status).toBe(422);
    expect(paths(res).sort()).toEqual(['/data/reason', '/data/serviceComponent', '/data/whereabouts']);
  });

  it('asks a dual-supervision referral for the other department\'s staff', async () => {
    const frp = { referralType: 'FRP Response Only', caseInfo };
    const missing = await referral(frp, { dualSupervision: true });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ path: '/data/caseInfo/dualStaff', message: "Other Department's Staff (dual supervision) is required" }]);
    const dualStaff = { department: 'Probation', workerName: 'Thanh Nguyen', workerPhone: '(555) 010-2001', workerEmail: 'dpo.nguyen@example.org', supervisorName: 'Alicia Brown', supervisorEmail: 'sdpo.brown@example.org' };
    expect((await referral({ ...frp, caseInfo: { ...caseInfo, dualStaff } }, { dualSupervision: true })).status).toBe(200);
  });
});

describe('termination report', () => {
  const base = SAMPLES['termination-report'].data;

  it('requires the efforts to engage when the youth ran away or refused services', async () => {
    for (const terminationReason of ['Ran Away', 'Refused Services']) {
      const res = await submit(advocate, poeId, 'termination-report', { ...base, terminationReason }, 'Taylor Jones');
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: '/data/engagementEfforts', message: 'If youth ran away or refused services, document efforts made to engage youth is required' }]);
    }
    const documented = await submit(advocate, poeId, 'termination-report', { ...base, terminationReason: 'Ran Away', engagementEfforts: 'Daily texts, visits to known locations' }, 'Taylor Jones');
    expect(documented.status).toBe(200);
  });

  it('asks why a goal was not achieved', async () => {
    const res = await submit(advocate, poeId, 'termination-report', { ...base, longTermGoals: [{ goal: 'Get a job', achieved: 'No' }] }, 'Taylor Jones');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/data/longTermGoals/0/whyNot', message: 'If No, Why? is required' }]);
  });

  it('computes the days served and whether all, some or none of the goals were achieved', async () => {
    const res = await submit(advocate, poeId, 'termination-report', base, 'Taylor Jones');
    expect(res.body.data).toMatchObject({ daysServed: 355, goalsAchieved: 'Some' });
    const all = await submit(advocate, poeId, 'termination-report', { ...base, longTermGoals: [{ goal: 'x', achieved: 'Yes' }], goalsAchieved: 'None' }, 'Taylor Jones');
    expect(all.body.data.goalsAchieved).toBe('All');
  });
});

describe('fund requests', () => {
  it('computes each item total as quantity x cost and the grand totals, over what the client sent', async () => {
    for (const form of ['restoration-funds-request', 'auxiliary-funds-request']) {
      const doc = (await advocate.post(`/api/cases/${poeId}/documents`, { form })).body;
      const data = merge(doc.data, { ...SAMPLES[form].data, totalProjectedCost: 1, totalActualCost: 1 });
      data.items[0].projectedTotal = 5;
      const saved = await advocate.put(`/api/documents/${doc._id}`, { version: doc.version, data });
      expect(saved.status).toBe(200);
      expect(saved.body.data.items.map((i: any) => [i.projectedTotal, i.actualTotal])).toEqual([[91, 80], [120, undefined]]);
      expect(saved.body.data).toMatchObject({ totalProjectedCost: 211, totalActualCost: 80 });
    }
  });

  it('refuses a negative cost and a zero quantity, naming each', async () => {
    const doc = (await advocate.post(`/api/cases/${poeId}/documents`, { form: 'restoration-funds-request' })).body;
    const data = merge(doc.data, { ...SAMPLES['restoration-funds-request'].data, items: [{ item: 'Book', category: 'Books', quantity: 0, projectedCost: -3 }] });
    const res = await advocate.put(`/api/documents/${doc._id}`, { version: doc.version, data });
    expect(res.status).toBe(422);
    expect(paths(res).sort()).toEqual(['/data/items/0/projectedCost', '/data/items/0/quantity']);
  });
});

describe('extension request', () => {
  const base = SAMPLES['extension-request'].data;

  it('computes the 3-month end date and the days since the assignment', async () => {
    const res = await submit(advocate, poeId, 'extension-request', base, 'Taylor Jones');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ extensionEnd: '2027-10-10', daysSinceAssignment: 335, beyond18Months: false });
  });

  it('needs the County Program Manager\'s written approval for services beyond 18 months', async () => {
    const late = { ...base, extensionNumber: 'Second Extension', extensionStart: '2027-10-15' };
    const res = await submit(advocate, poeId, 'extension-request', late, 'Taylor Jones');
    expect(res.status).toBe(422);
    expect(paths(res).sort()).toEqual(['/data/cpmApprovalDate', '/data/cpmWrittenApproval']);
    const approved = await submit(advocate, poeId, 'extension-request', { ...late, cpmWrittenApproval: true, cpmApprovalDate: '2027-09-30' }, 'Taylor Jones');
    expect(approved.status).toBe(200);
    expect(approved.body.data.beyond18Months).toBe(true);
  });
});

describe('advocate activity and FRP intake', () => {
  it('allows only the subcategories of the chosen activity type and computes the service minutes', async () => {
    const sample = SAMPLES['advocate-activity'].data;
    const wrong = await submit(advocate, poeId, 'advocate-activity', { ...sample, activityType: 'Administrative Task' }, 'Taylor Jones');
    expect(wrong.status).toBe(422);
    expect(paths(wrong).sort()).toEqual(['/data/subcategory/0', '/data/subcategory/1']);
    const right = await submit(advocate, poeId, 'advocate-activity', { ...sample, activityType: 'Administrative Task', subcategory: ['County Mandated Training'] }, 'Taylor Jones');
    expect(right.status).toBe(200);
    expect(right.body.data.serviceMinutes).toBe(90);
  });

  it('refuses service units that are not HH:MM', async () => {
    const res = await submit(advocate, poeId, 'advocate-activity', { ...SAMPLES['advocate-activity'].data, serviceUnits: '90 minutes' }, 'Taylor Jones');
    expect(res.status).toBe(422);
    expect(paths(res)).toContain('/data/serviceUnits');
  });

  it('computes whether the FRP response came within 90 minutes', async () => {
    const sample = SAMPLES['frp-intake'].data;
    const fast = await submit(advocate, poeId, 'frp-intake', sample, 'Taylor Jones');
    expect(fast.body.data.response.respondedWithin90Minutes).toBe(true);
    const slow = await submit(advocate, poeId, 'frp-intake', { ...sample, response: { ...sample.response, arrivedAt: '2026-11-02T22:41:00-08:00' } }, 'Taylor Jones');
    expect(slow.body.data.response.respondedWithin90Minutes).toBe(false);
  });

  it('refuses a release of information that expires before it takes effect', async () => {
    const res = await submit(advocate, poeId, 'release-of-information', { ...SAMPLES['release-of-information'].data, expirationDate: '2026-10-01' }, 'Taylor Jones');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/data/validDates', message: 'Expiration date after effective date must be true' }]);
  });
});
