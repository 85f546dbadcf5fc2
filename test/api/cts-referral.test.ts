/**
 * The CSEC Advocacy Referral route through the HTTP API as the real roles: worker submits ->
 * supervisor (any SCSW/SDPO of the office) -> the lead department's CSEC Admin, who assigns an
 * agency -> the agency's admin, who assigns an advocate; each rejection goes back to the worker
 * with a reason. Every step's e-mails are checked in the outbox by To, CC and subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/src/config.js';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { addUser, noticesFor, userId } from '../support/outbox.js';

let t: TestEngine;
let garcia: Client; // CSW, Metro North
let okafor: Client; // CSW, Harbor
let lee: Client; // SCSW, Metro North (the case's supervisor)
let park: Client; // SCSW, Metro North, not on the case
let harborSupervisor: Client; // SCSW, Harbor
let nguyen: Client; // DPO
let brown: Client; // SDPO, Central Juvenile
let dcfsAdmin: Client;
let probationAdmin: Client;
let harborAdmin: Client; // Agency Admin, Harbor Youth Advocates
let bridgewayAdmin: Client; // Agency Admin, Bridgeway Youth Services

const ids: Record<string, string> = {};

beforeAll(async () => {
  const base = loadConfig({});
  t = await startTestEngine({ auth: { ...base.auth, rateLimits: { windowSeconds: 60, perAddress: 1000, perAccount: 1000 } } });
  await addUser(t, { email: 'scsw.park@example.org', firstName: 'Jordan', lastName: 'Park', roles: ['SCSW'], attributes: { department: 'DCFS', office: 'Metro North', unit: 'MN-2' } });
  await addUser(t, { email: 'scsw.harbor@example.org', firstName: 'Casey', lastName: 'Reed', roles: ['SCSW'], attributes: { department: 'DCFS', office: 'Harbor', unit: 'HB-1' } });
  for (const email of ['csw.garcia', 'scsw.lee', 'dpo.nguyen', 'sdpo.brown', 'advocate.jones', 'advocate.chen', 'agency.admin', 'agency2.admin']) {
    ids[email] = await userId(t, `${email}@example.org`);
  }
  [garcia, okafor, lee, park, harborSupervisor, nguyen, brown, dcfsAdmin, probationAdmin, harborAdmin, bridgewayAdmin] = await Promise.all([
    'csw.garcia', 'csw.okafor', 'scsw.lee', 'scsw.park', 'scsw.harbor', 'dpo.nguyen', 'sdpo.brown', 'csec.admin.dcfs', 'csec.admin.probation', 'agency.admin', 'agency2.admin',
  ].map((e) => t.login(`${e}@example.org`)));
});
afterAll(() => t?.stop());

const dcfsYouth = { youthFirstName: 'Jordan', youthLastName: 'Vale', dob: '2011-04-09', language: 'English', leadAgency: 'DCFS', dualSupervision: false, dcfsOffice: 'Metro North', caseNumber: 'C-5501', stateId: 'SID-5501', referralNumber: '2000-1000-5501' };
const probationYouth = { youthFirstName: 'Robin', youthLastName: 'Hale', dob: '2010-01-20', language: 'English', leadAgency: 'Probation', dualSupervision: false, probationOffice: 'Central Juvenile', pdjNumber: 'PDJ-5502', stateId: 'SID-5502', referralNumber: '2000-1000-5502' };

async function openCase(worker: Client, data: Record<string, unknown>, people: { role: string; userId: string }[]) {
  const res = await worker.post('/api/cases', { caseType: 'assignment', data, people });
  expect(res.status).toBe(201);
  return res.body as { _id: string; number: string };
}

function referralData(draft: any, worker: { name: string; phone: string; email: string }, supervisorName: string, note = '') {
  return {
    ...draft.data,
    referralType: 'FRP Response Only',
    caseInfo: { ...draft.data.caseInfo, workerName: worker.name, workerPhone: worker.phone, workerEmail: worker.email, supervisorName, ...(note ? { attorneyName: note } : {}) },
  };
}

const GARCIA = { name: 'Maria Garcia', phone: '(555) 010-1001', email: 'csw.garcia@example.org' };
const NGUYEN = { name: 'Thanh Nguyen', phone: '(555) 010-2001', email: 'dpo.nguyen@example.org' };

async function submitReferral(worker: Client, caseId: string, who: typeof GARCIA, supervisorName: string) {
  const draft = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
  const res = await worker.post(`/api/documents/${draft._id}/submit`, { version: draft.version, data: referralData(draft, who, supervisorName), signature: { name: who.name } });
  expect(res.status).toBe(200);
  return res.body as { _id: string; status: string };
}

async function taskOn(client: Client, caseId: string, activityId: string) {
  const list = (await client.get(`/api/tasks?caseId=${caseId}`)).body as any[];
  return list.find((task) => task.activityId === activityId);
}

async function caseOf(client: Client, caseId: string) {
  return (await client.get(`/api/cases/${caseId}`)).body;
}

describe('a DCFS referral, approved all the way to an advocate', () => {
  let kase: { _id: string; number: string };
  let referral: { _id: string; status: string };

  beforeAll(async () => {
    kase = await openCase(garcia, dcfsYouth, [{ role: 'CSW', userId: ids['csw.garcia'] }, { role: 'SCSW', userId: ids['scsw.lee'] }]);
    referral = await submitReferral(garcia, kase._id, GARCIA, 'Grace Lee');
  });

  it('on submit: Pending Supervisor Approval, and a "referral received" confirmation to the worker', async () => {
    expect((await caseOf(garcia, kase._id)).status).toBe('Pending Supervisor Approval');
    expect((await garcia.get(`/api/documents/${referral._id}`)).body.status).toBe('Pending Supervisor Approval');
    expect(referral.status).toBe('Pending Supervisor Approval'); // the submit answer already shows what the process made of it
    expect(await noticesFor(t, kase._id)).toEqual([expect.objectContaining({
      template: 'referral-received',
      to: ['csw.garcia@example.org'], cc: [],
      subject: `CTS: CSEC Advocacy Referral received for assignment ${kase.number}`,
      unresolved: [],
    })]);
    const [notice] = await noticesFor(t, kase._id);
    expect(notice.subject).not.toMatch(/Jordan|Vale/);
    expect(notice.text).toContain(`${t.config.publicUrl}/cases/${kase._id}/documents/${referral._id}`);
  });

  it('any SCSW of the same office may act; an SCSW of another office, a DPO supervisor and the worker may not', async () => {
    const forLee = await taskOn(lee, kase._id, 'supervisorReview');
    expect(forLee).toMatchObject({ decisions: ['approve', 'reject'], reasonRequiredOn: ['reject'], form: 'csec-referral' });
    expect(await taskOn(park, kase._id, 'supervisorReview')).toMatchObject({ _id: forLee._id });
    for (const outsider of [harborSupervisor, brown, garcia]) {
      expect(await taskOn(outsider, kase._id, 'supervisorReview')).toBeUndefined();
      expect((await outsider.post(`/api/tasks/${forLee._id}/complete`, { decision: 'approve' })).status).toBe(404);
    }
    const approved = await park.post(`/api/tasks/${forLee._id}/complete`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect((await caseOf(garcia, kase._id)).status).toBe('Pending CSEC Admin Approval');
    expect((await garcia.get(`/api/documents/${referral._id}`)).body.status).toBe('Pending CSEC Admin Approval');
    expect(await noticesFor(t, kase._id)).toHaveLength(1); // a supervisor's approval e-mails nobody
  });

  it('the DCFS CSEC Admin must name a known agency; the Probation admin cannot act on a DCFS referral', async () => {
    const review = await taskOn(dcfsAdmin, kase._id, 'adminReview');
    expect(review).toBeDefined();
    expect(await taskOn(probationAdmin, kase._id, 'adminReview')).toBeUndefined();
    expect((await probationAdmin.post(`/api/tasks/${review._id}/complete`, { decision: 'approve', data: { advocacyAgency: 'Harbor Youth Advocates' } })).status).toBe(404);

    const none = await dcfsAdmin.post(`/api/tasks/${review._id}/complete`, { decision: 'approve' });
    expect(none.status).toBe(422);
    expect(none.body.errors).toEqual([{ path: '/data/advocacyAgency', message: 'is required' }]);
    const unknown = await dcfsAdmin.post(`/api/tasks/${review._id}/complete`, { decision: 'approve', data: { advocacyAgency: 'Nowhere Youth Agency' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: '/data/advocacyAgency', message: expect.stringContaining('Harbor Youth Advocates') }]);
    const still = await caseOf(dcfsAdmin, kase._id);
    expect(still.status).toBe('Pending CSEC Admin Approval');
    expect(still.data.advocacyAgency).toBeUndefined();
    expect((await taskOn(dcfsAdmin, kase._id, 'adminReview'))._id).toBe(review._id);
  });

  it('approving assigns the agency with today as assignment date, Approved, and tells worker (To) and supervisor (CC)', async () => {
    const review = await taskOn(dcfsAdmin, kase._id, 'adminReview');
    const res = await dcfsAdmin.post(`/api/tasks/${review._id}/complete`, { decision: 'approve', data: { advocacyAgency: 'Harbor Youth Advocates' } });
    expect(res.status).toBe(200);
    const approved = await caseOf(garcia, kase._id);
    expect(approved.status).toBe('Approved');
    expect(approved.data.advocacyAgency).toBe('Harbor Youth Advocates');
    expect(approved.data.assignmentDate).toBe(new Date().toLocaleDateString('en-CA', { timeZone: 'America/Los_Angeles' }));
    const notices = await noticesFor(t, kase._id);
    expect(notices).toHaveLength(2);
    expect(notices[1]).toMatchObject({
      template: 'referral-assigned-agency',
      to: ['csw.garcia@example.org'], cc: ['scsw.lee@example.org'],
      subject: `CTS: assignment ${kase.number} approved and assigned to Harbor Youth Advocates`,
    });
  });

  it('only the assigned agency\'s admin assigns, and only one of that agency\'s advocates', async () => {
    expect(await taskOn(bridgewayAdmin, kase._id, 'agencyAssigns')).toBeUndefined();
    const assign = await taskOn(harborAdmin, kase._id, 'agencyAssigns');
    expect(assign).toMatchObject({ decisions: ['assign'] });
    expect((await bridgewayAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: ids['advocate.chen'] } })).status).toBe(404);

    const otherAgency = await harborAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: ids['advocate.chen'] } });
    expect(otherAgency.status).toBe(422);
    expect(otherAgency.body.errors).toEqual([{ path: '/userId', message: expect.stringContaining('users:Advocate where agency = /data/advocacyAgency') }]);
    const notAnAdvocate = await harborAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: ids['csw.garcia'] } });
    expect(notAnAdvocate.status).toBe(422);
    const missing = await harborAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign' });
    expect(missing.status).toBe(422);
    expect((await caseOf(harborAdmin, kase._id)).status).toBe('Approved');
    expect(await noticesFor(t, kase._id)).toHaveLength(2);
  });

  it('assigning an advocate puts them on the case, Active, and e-mails the advocate (CC the agency admin)', async () => {
    const assign = await taskOn(harborAdmin, kase._id, 'agencyAssigns');
    const res = await harborAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: ids['advocate.jones'] } });
    expect(res.status).toBe(200);
    const active = await caseOf(harborAdmin, kase._id);
    expect(active.status).toBe('Active');
    expect(active.people).toEqual(expect.arrayContaining([
      { role: 'Advocate', userId: ids['advocate.jones'] }, { role: 'Agency Admin', userId: ids['agency.admin'] },
    ]));
    const notices = await noticesFor(t, kase._id);
    expect(notices).toHaveLength(3);
    expect(notices[2]).toMatchObject({
      template: 'referral-assigned-advocate',
      to: ['advocate.jones@example.org'], cc: ['agency.admin@example.org'],
      subject: `CTS: assignment ${kase.number} has been assigned to you`,
    });
    const advocate = await t.login('advocate.jones@example.org');
    expect((await advocate.get(`/api/cases/${kase._id}`)).status).toBe(200);
    const instance = (await garcia.get(`/api/instances/${assign.instanceId}`)).body;
    expect(instance.status).toBe('completed');
  });
});

describe('rejections go back to the worker with the reason, and the revised referral goes round again', () => {
  let kase: { _id: string; number: string };
  let referral: { _id: string };

  beforeAll(async () => {
    kase = await openCase(garcia, { ...dcfsYouth, referralNumber: '2000-1000-5503' }, [{ role: 'CSW', userId: ids['csw.garcia'] }, { role: 'SCSW', userId: ids['scsw.lee'] }]);
    referral = await submitReferral(garcia, kase._id, GARCIA, 'Grace Lee');
  });

  async function resubmit(note: string) {
    const doc = (await garcia.get(`/api/documents/${referral._id}`)).body;
    expect(doc).toMatchObject({ stage: 'draft', status: 'Rejected' });
    const sent = await garcia.post(`/api/documents/${referral._id}/submit`, { version: doc.version, data: referralData(doc, GARCIA, 'Grace Lee', note), signature: { name: 'Maria Garcia' } });
    expect(sent.status).toBe(200);
    const revise = await taskOn(garcia, kase._id, 'workerRevises');
    const done = await garcia.post(`/api/tasks/${revise._id}/complete`, { decision: 'resubmit' });
    expect(done.status).toBe(200);
  }

  it('the supervisor must give a reason; the rejection reopens the referral and e-mails the worker the reason', async () => {
    const review = await taskOn(lee, kase._id, 'supervisorReview');
    const bare = await lee.post(`/api/tasks/${review._id}/complete`, { decision: 'reject' });
    expect(bare.status).toBe(422);
    expect(bare.body.errors).toEqual([{ path: '/reason', message: 'A reason is required to reject' }]);
    expect((await lee.post(`/api/tasks/${review._id}/complete`, { decision: 'reject', reason: 'Add the attorney contact' })).status).toBe(200);

    expect((await caseOf(garcia, kase._id)).status).toBe('Rejected');
    expect((await garcia.get(`/api/documents/${referral._id}`)).body).toMatchObject({ stage: 'draft', status: 'Rejected' });
    const notices = await noticesFor(t, kase._id);
    expect(notices.map((n) => n.template)).toEqual(['referral-received', 'referral-rejected']);
    expect(notices[1]).toMatchObject({
      to: ['csw.garcia@example.org'], cc: [],
      subject: `CTS: CSEC Advocacy Referral for assignment ${kase.number} was rejected by the supervisor`,
    });
    expect(notices[1].text).toContain('Reason: Add the attorney contact');
  });

  it('only the case\'s worker revises, and only after submitting the revised referral', async () => {
    const revise = await taskOn(garcia, kase._id, 'workerRevises');
    expect(revise).toMatchObject({ decisions: ['resubmit'], form: 'csec-referral' });
    expect(await taskOn(okafor, kase._id, 'workerRevises')).toBeUndefined();
    expect(await taskOn(lee, kase._id, 'workerRevises')).toBeUndefined();
    const early = await garcia.post(`/api/tasks/${revise._id}/complete`, { decision: 'resubmit' });
    expect(early.status).toBe(422);
    expect(early.body.errors).toEqual([{ path: '/document', message: expect.stringContaining('submit the revised referral') }]);
    expect((await caseOf(garcia, kase._id)).status).toBe('Rejected');
  });

  it('the resubmitted referral is pending the supervisor again, with a new confirmation', async () => {
    await resubmit('A. Lawyer');
    expect((await caseOf(garcia, kase._id)).status).toBe('Pending Supervisor Approval');
    const notices = await noticesFor(t, kase._id);
    expect(notices.map((n) => n.template)).toEqual(['referral-received', 'referral-rejected', 'referral-received']);
    expect(notices[2]).toMatchObject({ to: ['csw.garcia@example.org'], cc: [] });
    expect(await taskOn(lee, kase._id, 'supervisorReview')).toBeDefined();
  });

  it('a CSEC Admin rejection also goes back to the worker (CC the supervisor), then round through the supervisor again', async () => {
    const review = await taskOn(lee, kase._id, 'supervisorReview');
    expect((await lee.post(`/api/tasks/${review._id}/complete`, { decision: 'approve' })).status).toBe(200);
    const adminTask = await taskOn(dcfsAdmin, kase._id, 'adminReview');
    expect((await dcfsAdmin.post(`/api/tasks/${adminTask._id}/complete`, { decision: 'reject' })).status).toBe(422);
    expect((await dcfsAdmin.post(`/api/tasks/${adminTask._id}/complete`, { decision: 'reject', reason: 'Youth is already served by another program' })).status).toBe(200);

    expect((await caseOf(garcia, kase._id)).status).toBe('Rejected');
    const notices = await noticesFor(t, kase._id);
    expect(notices.map((n) => n.template)).toEqual(['referral-received', 'referral-rejected', 'referral-received', 'referral-rejected']);
    expect(notices[3]).toMatchObject({
      to: ['csw.garcia@example.org'], cc: ['scsw.lee@example.org'],
      subject: `CTS: CSEC Advocacy Referral for assignment ${kase.number} was rejected by the CSEC Administration`,
    });
    expect(notices[3].text).toContain('Reason: Youth is already served by another program');

    await resubmit('B. Lawyer');
    expect((await caseOf(garcia, kase._id)).status).toBe('Pending Supervisor Approval');
    expect(await taskOn(dcfsAdmin, kase._id, 'adminReview')).toBeUndefined();
    expect(await taskOn(lee, kase._id, 'supervisorReview')).toBeDefined();
  });
});

describe('a Probation referral goes to the SDPO and the Probation CSEC Admin', () => {
  let kase: { _id: string; number: string };

  beforeAll(async () => {
    kase = await openCase(nguyen, probationYouth, [{ role: 'DPO', userId: ids['dpo.nguyen'] }, { role: 'SDPO', userId: ids['sdpo.brown'] }]);
    await submitReferral(nguyen, kase._id, NGUYEN, 'Alicia Brown');
  });

  it('walks DPO -> SDPO -> Probation CSEC Admin -> Bridgeway admin -> advocate, with each e-mail', async () => {
    expect((await noticesFor(t, kase._id))[0]).toMatchObject({ template: 'referral-received', to: ['dpo.nguyen@example.org'], cc: [] });
    expect(await taskOn(lee, kase._id, 'supervisorReview')).toBeUndefined();
    const review = await taskOn(brown, kase._id, 'supervisorReview');
    expect((await brown.post(`/api/tasks/${review._id}/complete`, { decision: 'approve' })).status).toBe(200);

    expect(await taskOn(dcfsAdmin, kase._id, 'adminReview')).toBeUndefined();
    const adminTask = await taskOn(probationAdmin, kase._id, 'adminReview');
    expect((await dcfsAdmin.post(`/api/tasks/${adminTask._id}/complete`, { decision: 'approve', data: { advocacyAgency: 'Bridgeway Youth Services' } })).status).toBe(404);
    expect((await probationAdmin.post(`/api/tasks/${adminTask._id}/complete`, { decision: 'approve', data: { advocacyAgency: 'Bridgeway Youth Services' } })).status).toBe(200);
    expect((await noticesFor(t, kase._id))[1]).toMatchObject({
      template: 'referral-assigned-agency', to: ['dpo.nguyen@example.org'], cc: ['sdpo.brown@example.org'],
      subject: `CTS: assignment ${kase.number} approved and assigned to Bridgeway Youth Services`,
    });

    expect(await taskOn(harborAdmin, kase._id, 'agencyAssigns')).toBeUndefined();
    const assign = await taskOn(bridgewayAdmin, kase._id, 'agencyAssigns');
    expect((await bridgewayAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: ids['advocate.jones'] } })).status).toBe(422);
    expect((await bridgewayAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: ids['advocate.chen'] } })).status).toBe(200);
    expect((await caseOf(nguyen, kase._id)).status).toBe('Active');
    expect((await noticesFor(t, kase._id))[2]).toMatchObject({
      template: 'referral-assigned-advocate', to: ['advocate.chen@example.org'], cc: ['agency2.admin@example.org'],
      subject: `CTS: assignment ${kase.number} has been assigned to you`,
    });
    expect(await noticesFor(t, kase._id)).toHaveLength(3);
  });
});
