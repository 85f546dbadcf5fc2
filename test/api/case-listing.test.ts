/**
 * The case list searched and sorted by what the case type's `listing` declares, always inside
 * the caller's access scope; unknown search keys, sort keys and statuses answer 400 naming the
 * parameter; a bad listing declaration is refused at publish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { repoRoot, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let cpm: Client;
let worker: Client;
let admin: Client;

const names = (reply: { body: any }) => reply.body.items.map((c: any) => c.data.youthLastName);

beforeAll(async () => {
  t = await startTestEngine({}, { demoData: path.join(repoRoot, 'forms', 'demo', 'demo-data.json') });
  [cpm, worker, admin] = await Promise.all([t.login('cpm.wilson@example.org'), t.login('csw.garcia@example.org'), t.login('program.admin@example.org')]);
});
afterAll(() => t?.stop());

describe('case listing search', () => {
  it('finds by an exact field, a name prefix (any case), a date and any of several id fields', async () => {
    expect(names(await cpm.get('/api/cases?caseType=assignment&f.referralNumber=1000-2001-3004'))).toEqual(['Fenn']);
    expect(names(await cpm.get('/api/cases?caseType=assignment&f.youthLastName=fe'))).toEqual(['Fenn']);
    expect(names(await cpm.get('/api/cases?caseType=assignment&f.dob=2010-03-08'))).toEqual(['Fenn']);
    expect(names(await cpm.get('/api/cases?caseType=assignment&f.caseId=PDJ-77310'))).toEqual(['Poe']);
    expect(names(await cpm.get('/api/cases?caseType=assignment&f.caseId=SID-90001'))).toEqual(['Doe']);
    // a regular-expression character is searched for literally
    expect((await cpm.get('/api/cases?caseType=assignment&f.youthLastName=.*')).body.total).toBe(0);
  });

  it('searches only inside the caller\'s scope', async () => {
    expect((await worker.get('/api/cases?caseType=assignment&f.referralNumber=1000-2001-3004')).body.total).toBe(0);
    expect(names(await worker.get('/api/cases?caseType=assignment&f.youthLastName=D'))).toEqual(['Doe']);
  });

  it('filters by a status group and by a single status', async () => {
    const all = (await cpm.get('/api/cases?caseType=assignment&limit=100')).body;
    const open = (await cpm.get('/api/cases?caseType=assignment&status=Non-Closed&limit=100')).body;
    const closed = all.items.filter((c: any) => c.status === 'Closed').length;
    expect(closed).toBeGreaterThan(0);
    expect(open.total).toBe(all.total - closed);
    expect(open.items.every((c: any) => c.status !== 'Closed')).toBe(true);
    const onlyClosed = (await cpm.get('/api/cases?caseType=assignment&status=Closed')).body;
    expect(onlyClosed.total).toBe(closed);
  });

  it('sorts by a declared column both ways and pages with a stable total', async () => {
    const up = names(await cpm.get('/api/cases?caseType=assignment&sort=youthName&limit=100'));
    expect(up).toEqual([...up].sort());
    const down = names(await cpm.get('/api/cases?caseType=assignment&sort=-youthName&limit=100'));
    expect(down).toEqual([...up].reverse());
    const page2 = await cpm.get('/api/cases?caseType=assignment&sort=youthName&skip=3&limit=3');
    expect(names(page2)).toEqual(up.slice(3, 6));
    expect(page2.body.total).toBe(up.length);
  });

  it('lists the cases named by id, only those the caller may see, without recording them as viewed', async () => {
    const all = (await cpm.get('/api/cases?caseType=assignment&limit=100')).body.items as { _id: string; data: { youthLastName: string } }[];
    const pick = all.filter((c) => ['Doe', 'Fenn'].includes(c.data.youthLastName)).map((c) => c._id);
    expect(pick).toHaveLength(2);
    expect(names(await cpm.get(`/api/cases?ids=${pick.join(',')}&sort=youthName&caseType=assignment`))).toEqual(['Doe', 'Fenn']);
    // The worker sees Doe's case, not Fenn's.
    expect(names(await worker.get(`/api/cases?ids=${pick.join(',')}`))).toEqual(['Doe']);
    const audited = await t.engine.services.store.collection('audit').countDocuments({ action: 'case.view', caseId: { $in: pick } });
    expect(audited).toBe(0);
    for (const bad of ['', 'a,,b', 'x'.repeat(65), Array.from({ length: 101 }, (_, i) => `c${i}`).join(','), '$where']) {
      const reply = await cpm.get(`/api/cases?ids=${encodeURIComponent(bad)}`);
      expect(reply.status, bad).toBe(400);
      expect(reply.body.errors[0], bad).toMatchObject({ path: '/querystring/ids', message: expect.stringMatching(/pattern/) });
    }
  });

  it('answers 400 naming the parameter for an unknown search, sort or status, or a bad date', async () => {
    const search = await cpm.get('/api/cases?caseType=assignment&f.shoeSize=9');
    expect(search.status).toBe(400);
    expect(search.body.errors[0].path).toBe('/f.shoeSize');
    expect(search.body.errors[0].message).toContain('referralNumber');
    const sort = await cpm.get('/api/cases?caseType=assignment&sort=-shoeSize');
    expect(sort.status).toBe(400);
    expect(sort.body.errors[0]).toMatchObject({ path: '/sort' });
    const status = await cpm.get('/api/cases?caseType=assignment&status=Lost');
    expect(status.status).toBe(400);
    expect(status.body.errors[0]).toMatchObject({ path: '/status' });
    const date = await cpm.get('/api/cases?caseType=assignment&f.dob=05/14/2011');
    expect(date.status).toBe(400);
    expect(date.body.errors[0].path).toBe('/f.dob');
    const noType = await cpm.get('/api/cases?sort=youthName');
    expect(noType.status).toBe(400);
    expect(noType.body.errors[0].path).toBe('/caseType');
    expect((await cpm.get('/api/cases?caseType=nothing-here&sort=x')).status).toBe(400);
  });
});

describe('listing declaration', () => {
  it('is refused at publish when it names unknown fields, statuses or sort keys', async () => {
    const latest = (await admin.get('/api/definitions/caseType/assignment')).body;
    const content = structuredClone(latest.content);
    content.listing.columns.push({ key: 'shoe', label: 'Shoe', fields: ['data.shoeSize'] });
    content.listing.search.push({ key: 'x', label: 'X', fields: ['number'], match: 'fuzzy' });
    content.listing.statusGroups.Open = ['New', 'Lost'];
    content.listing.defaultSort = 'shoe';
    const res = await admin.post('/api/definitions/caseType/assignment', content);
    expect(res.status).toBe(422);
    const paths = res.body.errors.map((e: any) => e.path);
    const last = content.listing.columns.length - 1;
    expect(paths).toEqual(expect.arrayContaining([
      `/listing/columns/${last}/fields/0`,
      `/listing/search/${content.listing.search.length - 1}/match`,
      '/listing/statusGroups/Open/1',
      '/listing/defaultSort',
    ]));
    expect((await admin.get('/api/definitions/caseType/assignment')).body.version).toBe(latest.version);
  });

  it('is refused when the fields asked on opening a case are not top-level fields of the case schema', async () => {
    const latest = (await admin.get('/api/definitions/caseType/assignment')).body;
    expect(latest.content.listing.create.fields).toEqual(expect.arrayContaining(['youthFirstName', 'leadAgency', 'dcfsOffice']));
    const content = structuredClone(latest.content);
    content.listing.create.fields = ['youthFirstName', 'shoeSize', 'clientSummary/aka'];
    const res = await admin.post('/api/definitions/caseType/assignment', content);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/listing/create/fields/1', message: '"shoeSize" is not a top-level field of the case schema' },
      { path: '/listing/create/fields/2', message: '"clientSummary/aka" is not a top-level field of the case schema' },
    ]);
    content.listing.create.fields = 'youthFirstName';
    expect((await admin.post('/api/definitions/caseType/assignment', content)).body.errors).toEqual([
      { path: '/listing/create/fields', message: 'The fields asked when a case opens are a list of data field names' },
    ]);
    expect((await admin.get('/api/definitions/caseType/assignment')).body.version).toBe(latest.version);
  });
});

describe('display declaration', () => {
  it('names what screens call a case, and is refused at publish when it names unknown fields or settings', async () => {
    const latest = (await admin.get('/api/definitions/caseType/assignment')).body;
    expect(latest.content.display).toMatchObject({ caseLabel: 'Assignment', listingTitle: 'Assignment Listing', nameFields: ['youthFirstName', 'youthLastName'] });
    const content = structuredClone(latest.content);
    content.display = { caseLabel: ' ', nameFields: ['youthFirstName', 'shoeSize'], details: [{ label: 'Referral #', field: 'referralNumber' }, { label: '', field: 'data.x', format: 'money' }], colour: 'red' };
    const res = await admin.post('/api/definitions/caseType/assignment', content);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/display/colour', message: '"colour" is not a display setting (caseLabel, casesLabel, listingTitle, nameFields, details)' },
      { path: '/display/caseLabel', message: 'A label of 1 to 80 characters is required' },
      { path: '/display/nameFields/1', message: '"shoeSize" is not a top-level field of the case schema' },
      { path: '/display/details/1/label', message: 'A label of 1 to 80 characters is required' },
      { path: '/display/details/1/field', message: '"data.x" is not a top-level field of the case schema' },
      { path: '/display/details/1/format', message: 'The only format is "date" (shown MM/DD/YYYY)' },
    ]);
    content.display = 'Assignment';
    expect((await admin.post('/api/definitions/caseType/assignment', content)).body.errors).toEqual([
      { path: '/display', message: '"display" must be an object with caseLabel, casesLabel, listingTitle, nameFields and details (each optional)' },
    ]);
    expect((await admin.get('/api/definitions/caseType/assignment')).body.version).toBe(latest.version);
  });
});
