/**
 * The access matrix: every configured role (one demo user each) x every case-bound route x an
 * in-scope and an out-of-scope case. Each cell must be allowed, refused (403: the case is
 * visible but the role may not do this) or invisible (404), as the CTS configuration says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;

type Cell = 'allowed' | 'forbidden' | 'invisible';

/** The demo user of each role, with a case they see (or none) and one they do not. */
const ROLES: Record<string, { email: string; inScope?: string; outOfScope: string }> = {
  CSW: { email: 'csw.garcia@example.org', inScope: 'Doe', outOfScope: 'Poe' },
  SCSW: { email: 'scsw.lee@example.org', inScope: 'Doe', outOfScope: 'Poe' },
  DPO: { email: 'dpo.nguyen@example.org', inScope: 'Poe', outOfScope: 'Doe' },
  SDPO: { email: 'sdpo.brown@example.org', inScope: 'Poe', outOfScope: 'Doe' },
  'DCFS CSEC Admin': { email: 'csec.admin.dcfs@example.org', inScope: 'Doe', outOfScope: 'Poe' },
  'Probation CSEC Admin': { email: 'csec.admin.probation@example.org', inScope: 'Poe', outOfScope: 'Doe' },
  CPM: { email: 'cpm.wilson@example.org', inScope: 'Doe', outOfScope: '' },
  'Agency Admin': { email: 'agency.admin@example.org', inScope: 'Poe', outOfScope: 'Doe' },
  Advocate: { email: 'advocate.jones@example.org', inScope: 'Poe', outOfScope: 'Doe' },
  'program-admin': { email: 'program.admin@example.org', outOfScope: 'Doe' },
};

/** What each role may do on a case it sees, beyond reading (the case type's permissions). */
const MAY_WRITE_REFERRAL = new Set(['CSW', 'DPO']);
const MAY_UPLOAD = new Set(['CSW', 'DPO', 'Advocate']);
const MAY_ASSIGN_AGENCY = new Set(['DCFS CSEC Admin', 'Probation CSEC Admin']);

/** Changes one part of the case data, as the caller last saw it, to a value that differs from it. */
async function changeCase(c: Client, f: Fixture, field: string, next: (current: unknown) => unknown): Promise<number> {
  const current = await c.get(`/api/cases/${f.caseId}`);
  if (current.status !== 200) return current.status;
  const data = { ...current.body.data, [field]: next(current.body.data[field]) };
  return (await c.put(`/api/cases/${f.caseId}/data`, { version: current.body.version, data })).status;
}

interface Fixture { caseId: string; documentId: string; fileId: string }
const fixtures: Record<string, Fixture> = {};

const ROUTES: { name: string; write?: (role: string) => boolean; call: (c: Client, f: Fixture) => Promise<number> }[] = [
  { name: 'GET case', call: async (c, f) => (await c.get(`/api/cases/${f.caseId}`)).status },
  { name: 'GET case documents', call: async (c, f) => (await c.get(`/api/cases/${f.caseId}/documents`)).status },
  { name: 'GET document', call: async (c, f) => (await c.get(`/api/documents/${f.documentId}`)).status },
  { name: 'GET case files', call: async (c, f) => (await c.get(`/api/cases/${f.caseId}/files`)).status },
  { name: 'GET file download', call: async (c, f) => (await c.get(`/api/files/${f.fileId}`)).status },
  { name: 'GET case instances', call: async (c, f) => (await c.get(`/api/cases/${f.caseId}/instances`)).status },
  { name: 'POST new referral', write: (r) => MAY_WRITE_REFERRAL.has(r), call: async (c, f) => (await c.post(`/api/cases/${f.caseId}/documents`, { form: 'csec-referral' })).status },
  {
    name: 'PUT document draft', write: (r) => MAY_WRITE_REFERRAL.has(r),
    call: async (c, f) => (await c.put(`/api/documents/${f.documentId}`, { version: 999, data: {} })).status,
  },
  {
    name: 'POST document submit', write: (r) => MAY_WRITE_REFERRAL.has(r),
    call: async (c, f) => (await c.post(`/api/documents/${f.documentId}/submit`, { version: 999, signature: { name: 'x' } })).status,
  },
  { name: 'PUT case language', write: (r) => MAY_WRITE_REFERRAL.has(r), call: (c, f) => changeCase(c, f, 'language', (now) => (now === 'Korean' ? 'Armenian' : 'Korean')) },
  // The assignment date, not the agency: changing the agency would change who sees the case.
  { name: 'PUT case assignment date', write: (r) => MAY_ASSIGN_AGENCY.has(r), call: (c, f) => changeCase(c, f, 'assignmentDate', (now) => (now === '2026-01-15' ? '2026-02-15' : '2026-01-15')) },
  {
    name: 'POST file upload', write: (r) => MAY_UPLOAD.has(r),
    call: async (c, f) => {
      const body = multipart({ description: 'matrix' }, { name: 'n.txt', type: 'text/plain', content: 'x' });
      return (await c.request('POST', `/api/cases/${f.caseId}/files`, body.payload, body.headers)).status;
    },
  },
];

function classify(status: number): Cell {
  if (status === 404) return 'invisible';
  if (status === 403) return 'forbidden';
  if (status >= 500) throw new Error(`server error ${status}`);
  return 'allowed'; // 2xx, or 409/422 for a stale version or incomplete data: the access check passed
}

beforeAll(async () => {
  t = await startTestEngine();
  const owners: Record<string, string> = { Doe: 'csw.garcia@example.org', Poe: 'dpo.nguyen@example.org' };
  for (const [youth, email] of Object.entries(owners)) {
    const owner = await t.login(email);
    const caseId = (await owner.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === youth)._id;
    const documentId = (await owner.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body._id;
    const body = multipart({ description: 'fixture' }, { name: 'f.txt', type: 'text/plain', content: 'fixture' });
    const fileId = (await owner.request('POST', `/api/cases/${caseId}/files`, body.payload, body.headers)).body.id;
    fixtures[youth] = { caseId, documentId, fileId };
  }
});
afterAll(() => t?.stop());

describe('access matrix', () => {
  it('gives every role exactly its access on every case route', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const [role, who] of Object.entries(ROLES)) {
      const client = await t.login(who.email);
      for (const route of ROUTES) {
        for (const [scope, youth] of [['in scope', who.inScope], ['out of scope', who.outOfScope]] as const) {
          if (!youth) continue;
          const expected: Cell = scope === 'out of scope' ? 'invisible' : route.write && !route.write(role) ? 'forbidden' : 'allowed';
          const actual = classify(await route.call(client, fixtures[youth]));
          cells++;
          if (actual !== expected) mismatches.push(`${role} / ${route.name} / ${scope}: expected ${expected}, got ${actual}`);
        }
      }
    }
    console.log(`access matrix: ${Object.keys(ROLES).length} roles x ${ROUTES.length} routes x in/out of scope = ${cells} cells`);
    expect(mismatches).toEqual([]);
    expect(cells).toBeGreaterThanOrEqual(216);
  }, 120_000);
});
