/**
 * Every CTS form in forms/ publishes at start; a complete sample of each advocacy document
 * submits, and one without a required field is refused naming that field.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { SAMPLES, merge, without } from '../support/cts-samples.js';

let t: TestEngine;
let advocate: Client;
let poeId: string;

const keysOf = (folder: string, suffix: string) =>
  readdirSync(path.join(repoRoot, folder)).filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).sort();
const FORM_KEYS = keysOf('forms', '.form.json');
const LOOKUP_KEYS = keysOf('forms/lookups', '.lookup.json');

beforeAll(async () => {
  t = await startTestEngine();
  advocate = await t.login('advocate.jones@example.org');
  poeId = (await advocate.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === 'Poe')._id;
});
afterAll(() => t?.stop());

async function draft(form: string) {
  const res = await advocate.post(`/api/cases/${poeId}/documents`, { form });
  expect(res.status).toBe(201);
  return res.body;
}

describe('the CTS forms', () => {
  it('publishes every form, case type and lookup in forms/', async () => {
    const published = (await advocate.get('/api/definitions')).body.map((d: any) => `${d.kind}:${d.key}`);
    expect(published).toEqual(expect.arrayContaining([
      'caseType:assignment',
      ...FORM_KEYS.map((k) => `form:${k}`),
      ...LOOKUP_KEYS.map((k) => `lookup:${k}`),
    ]));
    expect(FORM_KEYS.length).toBe(14);
  });

  it('has a sample for every advocacy document (every form but the referral)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(FORM_KEYS.filter((k) => k !== 'csec-referral'));
  });

  it('prefills the youth from the assignment and computes the age', async () => {
    const doc = await draft('termination-report');
    expect(doc.data.youth).toMatchObject({
      firstName: 'Sam', lastName: 'Poe', dob: '2008-02-21', leadAgency: 'Probation', pdjNumber: 'PDJ-77310', stateId: 'SID-90003',
      advocacyAgency: 'Harbor Youth Advocates', assignmentDate: '2026-07-10', assignmentNumber: expect.stringMatching(/^A-\d{6}$/),
    });
    const today = new Date();
    const birthdayPassed = today.getMonth() > 1 || (today.getMonth() === 1 && today.getDate() >= 21);
    expect(doc.data.youth.age).toBe(today.getFullYear() - 2008 - (birthdayPassed ? 0 : 1));
  });

  for (const [form, sample] of Object.entries(SAMPLES)) {
    describe(form, () => {
      it('submits a complete sample', async () => {
        const doc = await draft(form);
        const res = await advocate.post(`/api/documents/${doc._id}/submit`, { version: doc.version, data: merge(doc.data, sample.data), signature: { name: 'Taylor Jones' } });
        expect(res.body.errors ?? []).toEqual([]);
        expect(res.status).toBe(200);
        expect(res.body.stage).toBe('submitted');
      });

      it(`saves a draft without ${sample.required} but refuses to submit it, naming the field`, async () => {
        const doc = await draft(form);
        const data = without(merge(doc.data, sample.data), sample.required);
        const saved = await advocate.put(`/api/documents/${doc._id}`, { version: doc.version, data });
        expect(saved.status).toBe(200);
        const res = await advocate.post(`/api/documents/${doc._id}/submit`, { version: saved.body.version, data, signature: { name: 'Taylor Jones' } });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([{ path: `/data${sample.required}`, message: expect.stringMatching(/is required$/) }]);
      });
    });
  }

  it('refuses a value outside a lookup, naming the field', async () => {
    const doc = await draft('frp-intake');
    const data = merge(doc.data, { ...SAMPLES['frp-intake'].data, outcome: { statusAt72Hours: 'On the moon' } });
    const res = await advocate.put(`/api/documents/${doc._id}`, { version: doc.version, data });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/data/outcome/statusAt72Hours', message: expect.stringMatching(/^Status of Youth at 72 Hours must be one of: In Placement/) }]);
  });

  it('lets the advocate edit the Client Summary part of the assignment, and only that part', async () => {
    const current = (await advocate.get(`/api/cases/${poeId}`)).body;
    const summary = { aka: 'Sammy', pregnant: false, team: { therapist: 'Dr. Example' }, serviceComponent: 'Probation (Placement)' };
    const res = await advocate.put(`/api/cases/${poeId}/data`, { version: current.version, data: { ...current.data, clientSummary: summary } });
    expect(res.status).toBe(200);
    expect(res.body.data.clientSummary).toEqual(summary);
    expect((await draft('safety-plan')).data.youth).toMatchObject({ aka: 'Sammy', language: 'English' });
    const other = await advocate.put(`/api/cases/${poeId}/data`, { version: res.body.version, data: { ...res.body.data, language: 'Korean' } });
    expect(other.status).toBe(403);
    const worker = await t.login('dpo.nguyen@example.org');
    const refused = await worker.put(`/api/cases/${poeId}/data`, { version: res.body.version, data: { ...res.body.data, clientSummary: { aka: 'x' } } });
    expect(refused.status).toBe(403);
  });
});
