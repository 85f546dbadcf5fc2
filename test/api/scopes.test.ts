/** Who sees which demo case: the CTS visibility rules of the assignment case type, applied in the store query. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t?.stop());

const seen = async (email: string) => {
  const client = await t.login(email);
  const res = await client.get('/api/cases?limit=500');
  expect(res.status).toBe(200);
  expect(res.body.total).toBe(res.body.items.length);
  return res.body.items.map((c: any) => c.data.youthLastName).sort();
};

describe('case visibility by role and scope', () => {
  const expected: [string, string[]][] = [
    ['csw.garcia@example.org', ['Doe', 'Roe']], // own caseload
    ['csw.okafor@example.org', ['Moe']],
    ['scsw.lee@example.org', ['Doe', 'Roe']], // own unit and office
    ['dpo.nguyen@example.org', ['Poe']],
    ['sdpo.brown@example.org', ['Moe', 'Poe']], // own office, including a dual-supervision case
    ['csec.admin.dcfs@example.org', ['Doe', 'Moe', 'Roe']], // DCFS-led and dual supervision
    ['csec.admin.probation@example.org', ['Moe', 'Poe']], // Probation-led and dual supervision, no DCFS-only case
    ['cpm.wilson@example.org', ['Doe', 'Moe', 'Poe', 'Roe']],
    ['agency.admin@example.org', ['Moe', 'Poe']], // cases assigned to the agency
    ['advocate.jones@example.org', ['Moe', 'Poe']], // cases assigned to the advocate
    ['agency2.admin@example.org', []], // another agency sees none of them
    ['advocate.chen@example.org', []],
    ['program.admin@example.org', []],
  ];
  for (const [email, cases] of expected) {
    it(`${email} sees ${cases.join(', ') || 'no case'}`, async () => {
      expect(await seen(email)).toEqual(cases);
    });
  }

  it('hides an out-of-scope case as not found on every route that names it', async () => {
    const cpm = await t.login('cpm.wilson@example.org');
    const poe = (await cpm.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === 'Poe');
    const other = await t.login('advocate.chen@example.org');
    for (const url of [`/api/cases/${poe._id}`, `/api/cases/${poe._id}/documents`, `/api/cases/${poe._id}/files`, `/api/cases/${poe._id}/instances`]) {
      expect((await other.get(url)).status).toBe(404);
    }
    expect((await other.post(`/api/cases/${poe._id}/documents`, { form: 'csec-referral' })).status).toBe(404);
  });

  it('follows an assignment: once a CSEC admin assigns an agency, that agency sees the case', async () => {
    const admin = await t.login('csec.admin.dcfs@example.org');
    const doe = (await admin.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === 'Doe');
    const assigned = await admin.put(`/api/cases/${doe._id}/data`, { version: doe.version, data: { ...doe.data, advocacyAgency: 'Bridgeway Youth Services' } });
    expect(assigned.status).toBe(200);
    expect(await seen('agency2.admin@example.org')).toEqual(['Doe']);
    expect(await seen('agency.admin@example.org')).toEqual(['Moe', 'Poe']);
    const language = await admin.put(`/api/cases/${doe._id}/data`, { version: assigned.body.version, data: { ...assigned.body.data, language: 'Spanish' } });
    expect(language.status).toBe(403);
    expect(language.body.message).toMatch(/may not change language/);
  });
});
