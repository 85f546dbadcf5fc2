/**
 * The demo data set `npm start` loads (forms/demo/demo-data.json): a login for every role, cases in
 * every status of the assignment reached by driving the real processes as the real users, scopes
 * as the case type says, and a second seed that adds nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoData, seedDemoData, type DemoData } from '../../engine/src/demo/seed.js';
import { loadConfig } from '../../engine/src/config.js';
import { repoRoot, startTestEngine, type TestEngine } from '../support/engine.js';

const file = path.join(repoRoot, 'forms/demo/demo-data.json');
let t: TestEngine;
let demo: DemoData;

beforeAll(async () => {
  demo = await readDemoData(file);
  const base = loadConfig({});
  t = await startTestEngine({ auth: { ...base.auth, rateLimits: { windowSeconds: 60, perAddress: 1000, perAccount: 1000 } } }, { demoData: file });
}, 60_000);
afterAll(() => t?.stop());

const ROLES = ['CSW', 'SCSW', 'DPO', 'SDPO', 'DCFS CSEC Admin', 'Probation CSEC Admin', 'CPM', 'Agency Admin', 'Advocate', 'program-admin'];
const STATUSES = ['New', 'Pending Supervisor Approval', 'Pending CSEC Admin Approval', 'Approved', 'Rejected', 'Active', 'Terminated', 'Closed'];

async function seen(email: string): Promise<any[]> {
  const client = await t.login(email);
  const res = await client.get('/api/cases?limit=100');
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('the demo data set', () => {
  it('has a login for every role that can sign in, with example.org addresses only', async () => {
    for (const role of ROLES) expect(demo.users.some((u) => u.roles.includes(role)), role).toBe(true);
    for (const user of demo.users) {
      expect(user.email).toMatch(/@example\.org$/);
      const me = await (await t.login(user.email, demo.password)).get('/api/auth/me');
      expect(me.status, user.email).toBe(200);
    }
    const offices = new Set(demo.users.filter((u) => u.roles.includes('SCSW')).map((u) => u.attributes?.office));
    expect(offices).toEqual(new Set(['Metro North', 'Harbor']));
    const agencies = new Set(demo.users.filter((u) => u.roles.includes('Advocate')).map((u) => u.attributes?.agency));
    expect(agencies.size).toBe(2);
  });

  it('has at least one case in every status, reached through the processes', async () => {
    const cases = await t.engine.services.cases.cases.find({});
    for (const status of STATUSES) expect(cases.some((c) => c.status === status), status).toBe(true);
    const tasks = await t.engine.services.tasks.tasks.find({});
    const outbox = await t.engine.services.store.collection<{ caseId: string; template: string }>('outbox').find({});
    for (const kase of cases.filter((c) => c.status !== 'New')) {
      expect(outbox.some((o) => o.caseId === kase._id && o.template === 'referral-received'), kase.number).toBe(true);
    }
    const active = cases.filter((c) => ['Active', 'Terminated', 'Closed'].includes(c.status));
    for (const kase of active) {
      expect(tasks.some((x) => x.caseId === kase._id && x.activityId === 'agencyAssigns' && x.status === 'completed'), kase.number).toBe(true);
      expect(kase.people.map((p: { role: string }) => p.role)).toEqual(expect.arrayContaining(['Advocate', 'Agency Admin']));
      expect(kase.data.advocacyAgency).toBeTruthy();
    }
    const terminated = cases.filter((c) => ['Terminated', 'Closed'].includes(c.status));
    for (const kase of terminated) {
      expect(tasks.some((x) => x.caseId === kase._id && x.activityId === 'reviewSupervisor' && x.decision === 'approve'), kase.number).toBe(true);
      expect(kase.data.terminationDate, kase.number).toBeTruthy();
    }
    const rejected = cases.find((c) => c.status === 'Rejected')!;
    expect(tasks.some((x) => x.caseId === rejected._id && x.decision === 'reject' && x.reason)).toBe(true);
    expect(cases.some((c) => c.data.leadAgency === 'Probation' && c.status === 'Active')).toBe(true);
    expect(cases.some((c) => c.data.dualSupervision === true && c.status === 'Active')).toBe(true);
  });

  it('scopes what each login sees: the Harbor SCSW sees the Harbor cases only, each agency its own', async () => {
    const all = await seen('cpm.wilson@example.org');
    expect(all).toHaveLength(demo.cases.length);
    const harbor = await seen('scsw.reyes@example.org');
    expect(harbor.length).toBeGreaterThan(0);
    expect(harbor.map((c) => c.data.dcfsOffice)).toEqual(harbor.map(() => 'Harbor'));
    expect(harbor).toHaveLength(all.filter((c) => c.data.dcfsOffice === 'Harbor').length);
    const bridgeway = await seen('agency2.admin@example.org');
    expect(bridgeway.length).toBeGreaterThan(0);
    expect(bridgeway.every((c) => c.data.advocacyAgency === 'Bridgeway Youth Services')).toBe(true);
    expect((await seen('csec.admin.probation@example.org')).every((c) => c.data.leadAgency === 'Probation' || c.data.dualSupervision)).toBe(true);
  });

  it('a second seed on the same store adds nothing', async () => {
    const { store } = t.engine.services;
    const count = async () => Object.fromEntries(await Promise.all(
      ['users', 'cases', 'documents', 'tasks', 'instances', 'outbox'].map(async (name) => [name, await store.collection(name).countDocuments({})]),
    ));
    const before = await count();
    const again = await seedDemoData(t.engine.services, demo);
    expect(again.seeded).toBe(false);
    expect(await count()).toEqual(before);
  });
});
