/**
 * Submit-and-notify documents (FRP Intake, Safety Plan, Intake Strengths and Needs Assessment,
 * Six-Month Review Report) through the HTTP API as the advocate: the document is Completed and
 * the e-mail the seeds give is queued, checked by To, CC and subject, for a Probation-led, a
 * DCFS-led and a dual-supervision case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/src/config.js';
import { SAMPLES, merge } from '../support/cts-samples.js';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { noticesFor, userId } from '../support/outbox.js';

let t: TestEngine;
let advocate: Client;
let garcia: Client;

const INBOXES = ['dcfs-csec-admin@example.org', 'probation-child-trafficking@example.org'];
const TITLES: Record<string, string> = {
  'frp-intake': 'FRP Intake',
  'safety-plan': 'Safety Plan',
  'strengths-needs-assessment': 'Intake Strengths and Needs Assessment',
  'six-month-review': 'Six-Month Review Report',
};

const cases: Record<'probation' | 'dcfs' | 'dual', { _id: string; number: string }> = {} as never;

beforeAll(async () => {
  const base = loadConfig({});
  t = await startTestEngine({ auth: { ...base.auth, rateLimits: { windowSeconds: 60, perAddress: 1000, perAccount: 1000 } } });
  advocate = await t.login('advocate.jones@example.org');
  garcia = await t.login('csw.garcia@example.org');
  const id = Object.fromEntries(await Promise.all(['csw.garcia', 'scsw.lee', 'dpo.nguyen', 'sdpo.brown', 'advocate.jones', 'agency.admin'].map(async (e) => [e, await userId(t, `${e}@example.org`)])));

  const poe = (await advocate.get('/api/cases')).body.items.find((c: any) => c.data.referralNumber === '1000-2001-3003');
  cases.probation = poe;
  const open = async (data: Record<string, unknown>, people: [string, string][]) => {
    const res = await garcia.post('/api/cases', {
      caseType: 'assignment',
      data: { youthFirstName: 'Avery', youthLastName: 'Stone', dob: '2010-08-08', language: 'English', stateId: 'SID-7700', caseNumber: 'C-7700', advocacyAgency: 'Harbor Youth Advocates', assignmentDate: '2026-10-20', ...data },
      people: people.map(([role, who]) => ({ role, userId: id[who] })),
    });
    expect(res.status).toBe(201);
    await t.engine.services.cases.setStatus(res.body._id, 'Active', 'test');
    return res.body;
  };
  const staff: [string, string][] = [['CSW', 'csw.garcia'], ['SCSW', 'scsw.lee'], ['Agency Admin', 'agency.admin'], ['Advocate', 'advocate.jones']];
  cases.dcfs = await open({ referralNumber: '2000-7700-0001', leadAgency: 'DCFS', dualSupervision: false, dcfsOffice: 'Metro North' }, staff);
  cases.dual = await open(
    { referralNumber: '2000-7700-0002', leadAgency: 'DCFS', dualSupervision: true, dcfsOffice: 'Metro North', probationOffice: 'Central Juvenile', pdjNumber: 'PDJ-7700' },
    [...staff, ['DPO', 'dpo.nguyen'], ['SDPO', 'sdpo.brown']],
  );
});
afterAll(() => t?.stop());

/** The advocate submits a complete document; answers the notices it queued. */
async function submit(which: keyof typeof cases, form: string) {
  const kase = cases[which];
  const before = (await noticesFor(t, kase._id)).length;
  const draft = (await advocate.post(`/api/cases/${kase._id}/documents`, { form })).body;
  const res = await advocate.post(`/api/documents/${draft._id}/submit`, { version: draft.version, data: merge(draft.data, SAMPLES[form].data), signature: { name: 'Taylor Jones' } });
  expect(res.status).toBe(200);
  expect((await advocate.get(`/api/documents/${draft._id}`)).body.status).toBe('Completed');
  const notices = (await noticesFor(t, kase._id)).slice(before);
  for (const notice of notices) {
    expect(notice.subject).toBe(`CTS: ${TITLES[form]} submitted for assignment ${kase.number}`);
    expect(notice.subject).not.toMatch(/Sam|Poe|Avery|Stone/);
    expect(notice.text).toContain(`${t.config.publicUrl}/cases/${kase._id}/documents/${draft._id}`);
    expect(notice.unresolved).toEqual([]);
  }
  return notices.map(({ template, to, cc }) => ({ template, to, cc }));
}

describe('a Probation-led case', () => {
  it('FRP Intake and Safety Plan: To DPO, CC SDPO, the Probation CSEC Admin and both inboxes', async () => {
    for (const form of ['frp-intake', 'safety-plan']) {
      expect(await submit('probation', form)).toEqual([{
        template: 'deliverable-submitted',
        to: ['dpo.nguyen@example.org'],
        cc: ['sdpo.brown@example.org', 'csec.admin.probation@example.org', ...INBOXES],
      }]);
    }
  });

  it('Strengths and Needs Assessment: To DPO, CC SDPO and both inboxes (no CSEC admin)', async () => {
    expect(await submit('probation', 'strengths-needs-assessment')).toEqual([{
      template: 'deliverable-submitted', to: ['dpo.nguyen@example.org'], cc: ['sdpo.brown@example.org', ...INBOXES],
    }]);
  });

  it('Six-Month Review Report: To DPO, CC SDPO and the CPM', async () => {
    expect(await submit('probation', 'six-month-review')).toEqual([{
      template: 'deliverable-submitted', to: ['dpo.nguyen@example.org'], cc: ['sdpo.brown@example.org', 'cpm.wilson@example.org'],
    }]);
  });
});

describe('a DCFS-led case', () => {
  it('FRP Intake: To CSW, CC SCSW, the DCFS CSEC Admin and both inboxes', async () => {
    expect(await submit('dcfs', 'frp-intake')).toEqual([{
      template: 'deliverable-submitted', to: ['csw.garcia@example.org'], cc: ['scsw.lee@example.org', 'csec.admin.dcfs@example.org', ...INBOXES],
    }]);
  });

  it('Strengths and Needs Assessment and Six-Month Review Report', async () => {
    expect(await submit('dcfs', 'strengths-needs-assessment')).toEqual([{
      template: 'deliverable-submitted', to: ['csw.garcia@example.org'], cc: ['scsw.lee@example.org', ...INBOXES],
    }]);
    expect(await submit('dcfs', 'six-month-review')).toEqual([{
      template: 'deliverable-submitted', to: ['csw.garcia@example.org'], cc: ['scsw.lee@example.org', 'cpm.wilson@example.org'],
    }]);
  });
});

describe('a dual-supervision case tells both departments', () => {
  it('Safety Plan: To CSW and DPO, CC both supervisors, both CSEC Admins and both inboxes', async () => {
    expect(await submit('dual', 'safety-plan')).toEqual([{
      template: 'deliverable-submitted',
      to: ['csw.garcia@example.org', 'dpo.nguyen@example.org'],
      cc: ['scsw.lee@example.org', 'sdpo.brown@example.org', 'csec.admin.dcfs@example.org', 'csec.admin.probation@example.org', ...INBOXES],
    }]);
  });

  it('Strengths and Needs Assessment and Six-Month Review Report: both workers and both supervisors', async () => {
    expect(await submit('dual', 'strengths-needs-assessment')).toEqual([{
      template: 'deliverable-submitted', to: ['csw.garcia@example.org', 'dpo.nguyen@example.org'], cc: ['scsw.lee@example.org', 'sdpo.brown@example.org', ...INBOXES],
    }]);
    expect(await submit('dual', 'six-month-review')).toEqual([{
      template: 'deliverable-submitted', to: ['csw.garcia@example.org', 'dpo.nguyen@example.org'], cc: ['scsw.lee@example.org', 'sdpo.brown@example.org', 'cpm.wilson@example.org'],
    }]);
  });
});

describe('documents without a submit notice', () => {
  it('a Release of Information is stored with no e-mail', async () => {
    const kase = cases.dcfs;
    const before = (await noticesFor(t, kase._id)).length;
    const draft = (await advocate.post(`/api/cases/${kase._id}/documents`, { form: 'release-of-information' })).body;
    const res = await advocate.post(`/api/documents/${draft._id}/submit`, { version: draft.version, data: merge(draft.data, SAMPLES['release-of-information'].data), signature: { name: 'Taylor Jones' } });
    expect(res.status).toBe(200);
    expect(await noticesFor(t, kase._id)).toHaveLength(before);
  });
});
