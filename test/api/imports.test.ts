/**
 * The feed from the state child-welfare system: CSV and JSON extracts create and update CTS
 * assignments by Referral #, through POST /api/case-types/assignment/imports.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, repoRoot, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

const URL = '/api/case-types/assignment/imports';
const HEADER = 'Referral #,Referral Date,Referral Name,Child First Name,Child Last Name,Birth Date,Primary Language,Case #,State ID,Lead Agency,Dual Supervision,DCFS Office,Worker E-mail,Supervisor E-mail,CSEC Flag,Extract Run';

let t: TestEngine;
let importer: Client;
let worker: Client;

/** One CSV line; cells containing commas or quotes are quoted as a CWS/CMS extract does. */
function line(cells: Record<string, string>): string {
  return HEADER.split(',').map((column) => {
    const cell = cells[column] ?? '';
    return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  }).join(',');
}

function youth(referral: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'Referral #': referral, 'Referral Date': '10/02/2026', 'Referral Name': 'Lane family', 'Child First Name': 'Casey', 'Child Last Name': 'Lane',
    'Birth Date': '05/14/2011', 'Primary Language': 'English', 'Case #': 'C-500001', 'State ID': 'SID-500001', 'Lead Agency': 'DCFS',
    'Dual Supervision': 'N', 'DCFS Office': 'Metro North', 'Worker E-mail': 'csw.garcia@example.org', 'Supervisor E-mail': 'scsw.lee@example.org',
    'CSEC Flag': 'At-Risk', 'Extract Run': '2026-12-01', ...overrides,
  };
}

function csv(...rows: Record<string, string>[]): string {
  return [HEADER, ...rows.map(line)].join('\r\n') + '\r\n';
}

const postCsv = (client: Client, text: string, query = '') => client.request('POST', URL + query, text, { 'content-type': 'text/csv' });

const casesWithReferral = (referral: string) =>
  t.engine.services.cases.cases.find({ caseType: 'assignment', 'data.referralNumber': referral });

async function userId(email: string): Promise<string> {
  return (await t.engine.services.users.byEmail(email))!._id;
}

function plainCaseType(extra: Record<string, unknown> = {}) {
  return {
    title: 'Plain case', numbering: { prefix: 'P-', digits: 4 }, statuses: ['Open', 'Closed'], initialStatus: 'Open', roles: ['Owner', 'Helper'],
    schema: { type: 'object', properties: { ref: { type: 'string' }, born: { type: 'string', format: 'date' }, nested: { type: 'object', properties: { a: { type: 'string' } } } } },
    uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/ref' }] },
    ...extra,
  };
}

beforeAll(async () => {
  t = await startTestEngine();
  importer = await t.login('program.admin@example.org');
  worker = await t.login('csw.garcia@example.org');
});
afterAll(() => t?.stop());

describe('importing a CSV extract', () => {
  const file = csv(
    youth('2000-1000-0001', { 'Referral Name': 'Lane, Casey "CJ"' }),
    youth('2000-1000-0002', { 'Child First Name': 'Robin', 'Child Last Name': 'Vale', 'Birth Date': '1/9/2010', 'CSEC Flag': 'Victim During Foster Care', 'Dual Supervision': 'Y' }),
  );

  it('creates cases with youth data and assigned staff, quotes and commas intact', async () => {
    const res = await postCsv(importer, file);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect(res.body.ignoredColumns).toEqual(['Extract Run']);
    expect(res.body.rows.map((r: any) => [r.row, r.line, r.key, r.outcome])).toEqual([
      [1, 2, '2000-1000-0001', 'created'],
      [2, 3, '2000-1000-0002', 'created'],
    ]);
    expect(res.body.rows[0].caseNumber).toMatch(/^A-\d{6}$/);

    const [lane] = await casesWithReferral('2000-1000-0001');
    expect(lane.status).toBe('New');
    expect(lane.data).toEqual({
      referralNumber: '2000-1000-0001', cphReferralDate: '2026-10-02', referralName: 'Lane, Casey "CJ"', youthFirstName: 'Casey', youthLastName: 'Lane',
      dob: '2011-05-14', language: 'English', caseNumber: 'C-500001', stateId: 'SID-500001', leadAgency: 'DCFS', dualSupervision: false, dcfsOffice: 'Metro North',
    });
    expect(lane.people).toEqual([
      { role: 'CSW', userId: await userId('csw.garcia@example.org') },
      { role: 'SCSW', userId: await userId('scsw.lee@example.org') },
    ]);
    const [vale] = await casesWithReferral('2000-1000-0002');
    expect(vale.data).toMatchObject({ dob: '2010-01-09', dualSupervision: true });

    // The assigned worker now sees the imported cases on their caseload.
    const caseload = (await worker.get('/api/cases?limit=500')).body.items.map((c: any) => c.data.referralNumber);
    expect(caseload).toEqual(expect.arrayContaining(['2000-1000-0001', '2000-1000-0002']));

    // Each created case is on the audit trail, attributed to the importer.
    const trail = await importer.get(`/api/audit?caseId=${lane._id}`);
    const created = trail.body.items.find((e: any) => e.action === 'case.create');
    expect(created).toMatchObject({ userName: 'Morgan Ellis', outcome: 'done', details: { via: 'import', row: 1, key: '2000-1000-0001' } });
    expect(created.changes).toEqual(expect.arrayContaining([{ path: '/dob', before: null, after: '2011-05-14' }]));
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await casesWithReferral('2000-1000-0001');
    const res = await postCsv(importer, file);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(res.body.rows[0]).toMatchObject({ outcome: 'unchanged', caseId: before[0]._id, caseNumber: before[0].number });
    const after = await casesWithReferral('2000-1000-0001');
    expect(after).toHaveLength(1);
    expect(after[0].version).toBe(before[0].version);
    const updates = await importer.get(`/api/audit?caseId=${before[0]._id}&action=case.update`);
    expect(updates.body.total).toBe(0);
  });

  it('updates a changed field and records the change', async () => {
    const res = await postCsv(importer, csv(youth('2000-1000-0001', { 'Referral Name': 'Lane, Casey "CJ"', 'Primary Language': 'Spanish' })));
    expect(res.body.totals).toMatchObject({ updated: 1 });
    expect(res.body.rows[0].changed).toEqual(['/data/language']);
    const [lane] = await casesWithReferral('2000-1000-0001');
    expect(lane.data.language).toBe('Spanish');
    expect(lane.version).toBe(2);
    const trail = await importer.get(`/api/audit?caseId=${lane._id}&action=case.update`);
    expect(trail.body.items[0].changes).toEqual([{ path: '/language', before: 'English', after: 'Spanish' }]);
  });

  it('takes the same columns as a multipart file upload', async () => {
    const upload = multipart({}, { name: 'extract.csv', type: 'text/csv', content: csv(youth('2000-1000-0003')) });
    const res = await importer.request('POST', URL, upload.payload, upload.headers);
    expect(res.status).toBe(200);
    expect(res.body.rows[0]).toMatchObject({ row: 1, line: 2, key: '2000-1000-0003', outcome: 'created' });
  });
});

describe('a changed worker', () => {
  let caseId: string;
  let advocateId: string;
  let agencyAdminId: string;

  beforeAll(async () => {
    await postCsv(importer, csv(youth('2000-2000-0001')));
    const [record] = await casesWithReferral('2000-2000-0001');
    caseId = record._id;
    advocateId = await userId('advocate.jones@example.org');
    agencyAdminId = await userId('agency.admin@example.org');
    // As the referral process leaves it: assigned to an agency and an advocate, Active.
    await t.engine.services.cases.cases.updateOne({ _id: caseId }, {
      $set: { status: 'Active', 'data.advocacyAgency': 'Harbor Youth Advocates' },
      $push: { people: { $each: [{ role: 'Agency Admin', userId: agencyAdminId }, { role: 'Advocate', userId: advocateId }] } },
      $inc: { version: 1 },
    });
  });

  it('on an open case replaces the worker and queues a notice to the advocate', async () => {
    const res = await postCsv(importer, csv(youth('2000-2000-0001', { 'Worker E-mail': 'csw.okafor@example.org' })));
    expect(res.status).toBe(200);
    expect(res.body.rows[0]).toMatchObject({ outcome: 'updated', changed: ['/people/CSW'] });
    expect(res.body.rows[0].notified).toEqual([{ template: 'assigned-worker-changed', to: [advocateId], cc: [agencyAdminId] }]);

    const [record] = await casesWithReferral('2000-2000-0001');
    const okafor = await userId('csw.okafor@example.org');
    expect(record.people.filter((p) => p.role === 'CSW')).toEqual([{ role: 'CSW', userId: okafor }]);
    expect(record.people).toHaveLength(4);

    const queued = await t.engine.services.store.collection('outbox').find({ caseId });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      template: 'assigned-worker-changed', caseId, status: 'queued',
      to: [{ userId: advocateId, email: 'advocate.jones@example.org' }],
      cc: [{ userId: agencyAdminId, email: 'agency.admin@example.org' }],
      subject: `CTS: new CSW on assignment ${record.number}`,
    });
    expect(queued[0].text).toContain('Previous: Maria Garcia (csw.garcia@example.org)');
    expect(queued[0].text).toContain('Now: Daniel Okafor (csw.okafor@example.org)');
    expect(queued[0].link).toContain(`/cases/${caseId}`);
    const trail = await importer.get(`/api/audit?caseId=${caseId}&action=case.update`);
    expect(trail.body.items[0].details.people).toEqual([{ role: 'CSW', before: await userId('csw.garcia@example.org'), after: okafor }]);
  });

  it('queues nothing more when the same extract comes again', async () => {
    const res = await postCsv(importer, csv(youth('2000-2000-0001', { 'Worker E-mail': 'csw.okafor@example.org' })));
    expect(res.body.rows[0].outcome).toBe('unchanged');
    expect(await t.engine.services.store.collection('outbox').countDocuments({ caseId })).toBe(1);
  });

  it('queues the notice a failure cut off after the case was stored, when the follow-up is replayed', async () => {
    const { notifier, followUps, store } = t.engine.services;
    const notify = notifier.notify.bind(notifier);
    notifier.notify = async () => {
      notifier.notify = notify;
      throw new Error('the mail queue is unreachable');
    };
    await postCsv(importer, csv(youth('2000-2000-0001', { 'Worker E-mail': 'csw.garcia@example.org' })));
    const [record] = await casesWithReferral('2000-2000-0001');
    expect(record.people.filter((p) => p.role === 'CSW')).toEqual([{ role: 'CSW', userId: await userId('csw.garcia@example.org') }]);
    expect(await store.collection('outbox').countDocuments({ caseId })).toBe(1);
    expect(await followUps.records.find({ event: 'import.person-changed' })).toEqual([expect.objectContaining({ attempts: 1, lastError: 'the mail queue is unreachable' })]);

    // As at the next start: the pending follow-up queues the notice, once.
    expect(await followUps.replay({ all: true })).toEqual({ done: 1, failed: [] });
    expect(await followUps.replay({ all: true })).toEqual({ done: 0, failed: [] });
    const queued = await store.collection('outbox').find({ caseId }, { sort: { createdAt: 1 } });
    expect(queued).toHaveLength(2);
    expect(queued[1]).toMatchObject({ _id: `import:${caseId}:${record.version}:CSW`, template: 'assigned-worker-changed', to: [{ userId: advocateId }] });
    expect(queued[1].text).toContain('Now: Maria Garcia');
  });

  it('on a closed case updates the worker without a notice', async () => {
    await t.engine.services.cases.cases.updateOne({ _id: caseId }, { $set: { status: 'Closed' }, $inc: { version: 1 } });
    const res = await postCsv(importer, csv(youth('2000-2000-0001', { 'Worker E-mail': 'csw.okafor@example.org' })));
    expect(res.body.rows[0]).toMatchObject({ outcome: 'updated', changed: ['/people/CSW'] });
    expect(res.body.rows[0].notified).toBeUndefined();
    expect(await t.engine.services.store.collection('outbox').countDocuments({ caseId })).toBe(2);
  });
});

describe('rejected rows', () => {
  it('reports each bad row with its field and reason, stores nothing of it, and stores the good rows', async () => {
    const file = csv(
      youth('2000-3000-0001', { 'Birth Date': '02/30/2011' }),
      youth('2000-3000-0002', { 'Worker E-mail': 'nobody@example.org' }),
      youth('', { 'Child Last Name': 'Keyless' }),
      youth('2000-3000-0004', { 'CSEC Flag': 'Substantiated Sexual Abuse' }),
      youth('2000-3000-0005', { 'Lead Agency': 'Police' }),
      youth('2000-3000-0006', { 'Worker E-mail': 'scsw.lee@example.org' }),
      youth('2000-3000-0007'),
      youth('2000-3000-0007', { 'Primary Language': 'Tagalog' }),
    );
    const res = await postCsv(importer, file);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 7 });
    const byRow = (row: number) => res.body.rows.find((r: any) => r.row === row);
    expect(byRow(1)).toMatchObject({ outcome: 'rejected', key: '2000-3000-0001', problems: [{ field: 'Birth Date', path: '/data/dob', message: '"02/30/2011" is not a date in the form M/D/YYYY' }] });
    expect(byRow(2).problems).toEqual([{ field: 'Worker E-mail', path: '/people/CSW', message: 'no user has the e-mail "nobody@example.org"' }]);
    expect(byRow(3)).toMatchObject({ outcome: 'rejected', line: 4, problems: [{ field: 'Referral #', path: '/data/referralNumber', message: 'is required: it identifies the case' }] });
    expect(byRow(4).problems).toEqual([{ field: 'CSEC Flag', message: expect.stringMatching(/^"Substantiated Sexual Abuse" is not imported; only rows with "At-Risk", /) }]);
    expect(byRow(5).problems).toEqual([{ field: 'Lead Agency', path: '/data/leadAgency', message: 'Lead Agency must be one of: DCFS, Probation' }]);
    expect(byRow(6).problems).toEqual([{ field: 'Worker E-mail', path: '/people/CSW', message: '"scsw.lee@example.org" does not hold the role CSW' }]);
    expect(byRow(7).outcome).toBe('created');
    expect(byRow(8).problems).toEqual([{ field: 'Referral #', path: '/data/referralNumber', message: '"2000-3000-0007" is also on row 7; a case is imported once per file' }]);

    for (const referral of ['2000-3000-0001', '2000-3000-0002', '2000-3000-0004', '2000-3000-0005', '2000-3000-0006']) {
      expect(await casesWithReferral(referral)).toEqual([]);
    }
    expect(await t.engine.services.cases.cases.countDocuments({ 'data.youthLastName': 'Keyless' })).toBe(0);
    const [kept] = await casesWithReferral('2000-3000-0007');
    expect(kept.data.language).toBe('English');
  });

  it('reports a required field the row leaves empty on a new case', async () => {
    const res = await postCsv(importer, csv(youth('2000-3000-0010', { 'Primary Language': '' })));
    expect(res.body.rows[0].problems).toEqual([{ field: 'Primary Language', path: '/data/language', message: 'Language is required' }]);
    expect(await casesWithReferral('2000-3000-0010')).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses a role the case type does not let import (403), storing nothing', async () => {
    const res = await postCsv(worker, csv(youth('2000-4000-0001')));
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/Only program-admin, DCFS CSEC Admin may import/);
    const json = await worker.post(URL, { rows: [youth('2000-4000-0001')] });
    expect(json.status).toBe(403);
    expect(await casesWithReferral('2000-4000-0001')).toEqual([]);
  });

  it('refuses malformed CSV with a 400 naming the line, storing nothing', async () => {
    const broken = `${HEADER}\r\n${line(youth('2000-4000-0002'))}\r\n2000-4000-0003,"10/02/2026,unclosed\r\n`;
    const res = await postCsv(importer, broken);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/line 3/);
    expect(res.body.errors).toEqual([{ path: 'line 3', message: 'a quoted field is never closed (missing ")' }]);
    const ragged = await postCsv(importer, `${HEADER}\r\n1,2,3\r\n`);
    expect(ragged.status).toBe(400);
    expect(ragged.body.errors[0]).toEqual({ path: 'line 2', message: 'the record has 3 fields but the header has 16' });
    expect(await casesWithReferral('2000-4000-0002')).toEqual([]);
  });

  it('refuses (409) while another import of the case type holds its lease, and runs once it is released', async () => {
    const leases = t.engine.services.store.collection('leases');
    await leases.insertOne({ _id: 'case-import:assignment', owner: 'another-node', until: new Date(Date.now() + 60_000), done: false });
    const res = await postCsv(importer, csv(youth('2000-4000-0009')));
    expect(res.status).toBe(409);
    expect(await casesWithReferral('2000-4000-0009')).toEqual([]);
    expect((await postCsv(importer, csv(youth('2000-4000-0009')), '?dryRun=true')).status).toBe(200);
    await leases.deleteOne({ _id: 'case-import:assignment' });
    expect((await postCsv(importer, csv(youth('2000-4000-0009')))).body.totals.created).toBe(1);
  });

  it('takes a CSV larger than the JSON body limit, up to the row limit', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => youth(`2000-6000-${String(i).padStart(4, '0')}`, { 'Referral Name': 'x'.repeat(100) }));
    const big = csv(...rows);
    expect(big.length).toBeGreaterThan(t.config.bodyLimit);
    const res = await postCsv(importer, big, '?dryRun=true');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('An import takes at most 5000 rows; split the file.');
  });

  it('refuses a file without the key column', async () => {
    const res = await postCsv(importer, 'Child First Name,CSEC Flag\r\nAda,At-Risk\r\n');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/header/Referral #', message: 'is a column every row needs' }]);
  });

  it('refuses an unknown case type and one without an import block (404)', async () => {
    expect((await importer.post('/api/case-types/no-such-type/imports', { rows: [] })).status).toBe(404);
    await t.engine.services.definitions.publish('caseType', 'plain-case', plainCaseType(), 'test');
    const res = await importer.post('/api/case-types/plain-case/imports', { rows: [] });
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/takes no imports/);
  });

  it('refuses JSON rows of the wrong shape, naming the field', async () => {
    const res = await importer.post(URL, { rows: [{ 'Referral #': { nested: true } }] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('/rows/0/Referral #');
    const extra = await importer.post(URL, { rows: [], extra: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([{ path: '/extra', message: 'is not an accepted field' }]);
  });
});

describe('JSON rows and dry runs', () => {
  it('imports JSON rows keyed by the same column names', async () => {
    const res = await importer.post(URL, { rows: [{ ...youth('2000-5000-0001'), 'Dual Supervision': false, 'Case #': null }] });
    expect(res.status).toBe(200);
    expect(res.body.rows[0]).toMatchObject({ row: 1, outcome: 'created' });
    expect(res.body.rows[0].line).toBeUndefined();
    const [record] = await casesWithReferral('2000-5000-0001');
    expect(record.data.dualSupervision).toBe(false);
    expect(record.data.caseNumber).toBeUndefined();
  });

  it('reports without storing on ?dryRun=true', async () => {
    const res = await postCsv(importer, csv(youth('2000-5000-0002'), youth('2000-5000-0001', { 'Primary Language': 'Korean' })), '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.rows.map((r: any) => r.outcome)).toEqual(['created', 'updated']);
    expect(res.body.rows[1].changed).toEqual(['/data/caseNumber', '/data/language']);
    expect(await casesWithReferral('2000-5000-0002')).toEqual([]);
    expect((await casesWithReferral('2000-5000-0001'))[0].data.language).toBe('English');
  });
});

describe('the import block of a case type', () => {
  it('is checked when the case type is published, each problem named by its pointer', async () => {
    const res = await importer.post('/api/definitions/caseType/plain-case', plainCaseType({
      import: {
        roles: [],
        key: '/data/missing',
        columns: { Ref: '/data/ref', Born: { to: '/data/born', date: 'DD.MM' }, Other: '/status', Twice: '/data/ref' },
        people: { Janitor: { column: 'Mail', matchBy: 'name' } },
        only: { column: 'Kind', in: 'A' },
        validation: 'strict',
        onPersonChange: { Helper: { notify: ['Boss'], template: '' } },
        extra: true,
      },
    }));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual([
      '/import/columns/Born/date', '/import/columns/Other', '/import/columns/Twice', '/import/extra', '/import/key',
      '/import/onPersonChange/Helper', '/import/onPersonChange/Helper/notify/0', '/import/onPersonChange/Helper/template',
      '/import/only/in', '/import/people/Janitor', '/import/people/Janitor/matchBy', '/import/roles', '/import/validation',
    ]);
    expect(res.body.errors.find((e: any) => e.path === '/import/key').message).toBe('no column fills "/data/missing"; map one column to it');
  });

  it('publishes a well-formed block, which then drives the import', async () => {
    const res = await importer.post('/api/definitions/caseType/plain-case', plainCaseType({
      import: { roles: ['program-admin'], key: '/data/ref', columns: { Ref: '/data/ref', Born: { to: '/data/born', date: 'DD.MM.YYYY' }, A: '/data/nested/a' } },
    }));
    expect(res.status).toBe(200);
    const run = await importer.post('/api/case-types/plain-case/imports', { rows: [{ Ref: 'r-1', Born: '31.12.2010', A: 'x' }] });
    expect(run.body.rows[0]).toMatchObject({ outcome: 'created', caseNumber: 'P-0001' });
    const [record] = await t.engine.services.cases.cases.find({ caseType: 'plain-case' });
    expect(record.data).toEqual({ ref: 'r-1', born: '2010-12-31', nested: { a: 'x' } });
  });
});

describe('hostile input to the import route', () => {
  it('answers every malformed body with a JSON 4xx, never a 5xx', async () => {
    const bodies: [string, string | Buffer][] = [
      ['text/csv', ''],
      ['text/csv', '\uFEFF'],
      ['text/csv', '"'],
      ['text/csv', 'a\n"b'],
      ['text/csv', '"a"b,c\n'],
      ['text/csv', '\u0000\u0001'],
      ['text/csv', Buffer.from([0xff, 0xfe, 0x00, 0x41])],
      ['text/csv', 'Referral #,__proto__,$where,constructor,CSEC Flag\r\n{"$gt":""},x,y,z,At-Risk\r\n'],
      ['text/csv', `Referral #,CSEC Flag,${Array.from({ length: 3000 }, (_, i) => `c${i}`).join(',')}\r\n`],
      ['text/csv; charset=utf-8', `${HEADER}\r\n${'x,'.repeat(15)}x\r\n`],
      ['application/json', '{"rows":[null]}'],
      ['application/json', '{"rows":"x"}'],
      ['application/json', '{"rows":[{"__proto__":{"a":1}}]}'],
      ['application/json', '{"rows":[{"$where":"1"}]}'],
      ['application/json', JSON.stringify({ rows: Array.from({ length: 5001 }, () => ({})) })],
      ['application/xml', '<rows/>'],
      ['multipart/form-data; boundary=x', '--x\r\nbroken'],
      ['multipart/form-data; boundary=x', '--x\r\ncontent-disposition: form-data; name="other"\r\n\r\nv\r\n--x--\r\n'],
    ];
    const failures: string[] = [];
    for (const [type, body] of bodies) {
      for (const query of ['', '?dryRun=true', '?dryRun=maybe', '?x=1']) {
        const res = await importer.request('POST', URL + query, body, { 'content-type': type });
        const ok = res.status === 200 || (res.status >= 400 && res.status < 500 && typeof res.body?.message === 'string');
        if (!ok) failures.push(`${type} ${String(body).slice(0, 40)} ${query} -> ${res.status} ${res.raw.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await t.engine.services.cases.cases.countDocuments({ 'data.referralNumber': { $regex: '^\\{' } })).toBe(0);
  });
});

describe('the sample extract in forms/demo', () => {
  it('leaves the matching demo case unchanged, would create the new youths and rejects the non-CSEC row', async () => {
    const sample = await readFile(path.join(repoRoot, 'forms/demo/cws-extract.csv'), 'utf8');
    const res = await postCsv(importer, sample, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body.ignoredColumns).toEqual(['Flag Start Date']);
    expect(res.body.rows.map((r: any) => [r.key, r.outcome])).toEqual([
      ['1000-2001-3001', 'unchanged'], ['1000-2001-3101', 'created'], ['1000-2001-3102', 'created'], ['1000-2001-3103', 'rejected'],
    ]);
    expect(res.body.rows[3].problems[0].field).toBe('CSEC Flag');
  });
});
