/**
 * Period reviews (CTS: the agency admin's monthly Master Activity) over HTTP: a month's submitted
 * activity documents recorded under the admin's agency, counted and totalled per activity type
 * with a grand total and a page of advocates' summaries, each advocate's activities a page at a
 * time, then submitted to the county once; other agencies, other months, drafts and other roles
 * stay out; activities submitted later count, reopened ones not until submitted again; bad input answers 4xx naming the field.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPeriodReviewRules } from '../../engine/src/reviews/period-reviews.js';
import { logActivity } from '../support/activities.js';
import { repoRoot, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let harborAdmin: Client;
let jones: Client;
let jonesId: string;
let month: string;
let lastMonth: string;

async function caseOf(client: Client, youthLastName: string): Promise<string> {
  const list = (await client.get('/api/cases?limit=100')).body.items as { _id: string; data: { youthLastName: string } }[];
  return list.find((c) => c.data.youthLastName === youthLastName)!._id;
}

beforeAll(async () => {
  t = await startTestEngine({}, { demoData: path.join(repoRoot, 'forms', 'demo', 'demo-data.json') });
  harborAdmin = await t.login('agency.admin@example.org');
  jones = await t.login('advocate.jones@example.org');
  jonesId = (await jones.get('/api/auth/me')).body.userId;
  const now = new Date();
  month = now.toISOString().slice(0, 7);
  lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
  const poe = await caseOf(jones, 'Poe');
  await logActivity(jones, 'Taylor Jones', poe, { date: `${month}-01`, type: 'Advocacy', subcategory: ['Face to Face (Youth)'], units: '1:30' });
  await logActivity(jones, 'Taylor Jones', poe, { date: `${month}-02`, type: 'Advocacy', subcategory: ['Transportation of Youth'], units: '0:45' });
  await logActivity(jones, 'Taylor Jones', poe, { date: `${month}-02`, type: 'Administrative Task', subcategory: ['Documentation/Reports'], units: '0:20' });
  await logActivity(jones, 'Taylor Jones', poe, { date: `${lastMonth}-20`, type: 'Advocacy', subcategory: ['Face to Face (Youth)'], units: '2:00' });
  // A draft does not count.
  await jones.post(`/api/cases/${poe}/documents`, { form: 'advocate-activity' });
  // Another agency's advocate, on their own case.
  const chen = await t.login('advocate.chen@example.org');
  await logActivity(chen, 'Wei Chen', await caseOf(chen, 'Quill'), { date: `${month}-03`, type: 'Advocacy', subcategory: ['Face to Face (Youth)'], units: '3:00' });
}, 60_000);
afterAll(() => t?.stop());

describe('period reviews', () => {
  it('lists the reviews an agency admin may do, and none for an advocate', async () => {
    expect((await harborAdmin.get('/api/period-reviews')).body).toEqual([{ key: 'master-activity', title: 'Master Activity' }]);
    expect((await jones.get('/api/period-reviews')).body).toEqual([]);
  });

  it("gives the month's totals per activity type and a page of advocates, for the admin's agency only", async () => {
    const res = await harborAdmin.get(`/api/period-reviews/master-activity/${month}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      period: month, scope: 'Harbor Youth Advocates', submission: null, authorCount: 1, documentCount: 3,
      counts: { Advocacy: 2, 'Administrative Task': 1 }, totals: { Advocacy: 135, 'Administrative Task': 20 }, total: 155,
    });
    expect(res.body.authors).toEqual([{ userId: jonesId, name: 'Taylor Jones', counts: { Advocacy: 2, 'Administrative Task': 1 }, totals: { Advocacy: 135, 'Administrative Task': 20 }, count: 3, total: 155 }]);
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${month}?skip=1&limit=10`)).body).toMatchObject({ authors: [], authorCount: 1, total: 155 });
    const previous = await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}`);
    expect(previous.body.total).toBe(120);
    const bridgeway = await (await t.login('agency2.admin@example.org')).get(`/api/period-reviews/master-activity/${month}`);
    expect(bridgeway.body).toMatchObject({ scope: 'Bridgeway Youth Services', total: 180, documentCount: 1 });
    expect(bridgeway.body.authors.map((a: any) => a.name)).toEqual(['Wei Chen']);
  });

  it("lists an advocate's activities of the month a page at a time, by activity type, then date", async () => {
    const res = await harborAdmin.get(`/api/period-reviews/master-activity/${month}/documents?author=${jonesId}`);
    expect(res.status).toBe(200);
    expect(res.body.author).toMatchObject({ userId: jonesId, name: 'Taylor Jones', total: 155, count: 3 });
    expect(res.body.total).toBe(3);
    expect(res.body.items.map((d: any) => [d.date, d.category, d.measure])).toEqual([
      [`${month}-02`, 'Administrative Task', 20], [`${month}-01`, 'Advocacy', 90], [`${month}-02`, 'Advocacy', 45],
    ]);
    expect(res.body.items[1].fields).toEqual({ '/subcategory': ['Face to Face (Youth)'], '/isCompleted': true, '/signedUp': 1, '/participants': 1 });
    expect(res.body.items[1].caseNumber).toMatch(/^A-/);
    const second = await harborAdmin.get(`/api/period-reviews/master-activity/${month}/documents?author=${jonesId}&skip=1&limit=1`);
    expect(second.body.total).toBe(3);
    expect(second.body.items.map((d: any) => [d.date, d.category])).toEqual([[`${month}-01`, 'Advocacy']]);
    // Another agency's advocate has nothing under Harbor.
    const chenId = (await (await t.login('advocate.chen@example.org')).get('/api/auth/me')).body.userId;
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${month}/documents?author=${chenId}`)).body).toMatchObject({ total: 0, items: [], author: { name: 'Wei Chen', count: 0, total: 0 } });
  });

  it('counts an activity submitted after the month was first shown', async () => {
    const before = (await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}`)).body;
    await logActivity(jones, 'Taylor Jones', await caseOf(jones, 'Poe'), { date: `${lastMonth}-21`, type: 'Administrative Task', subcategory: ['Documentation/Reports'], units: '0:15' });
    const after = (await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}`)).body;
    expect(after).toMatchObject({ total: before.total + 15, documentCount: before.documentCount + 1, totals: { 'Administrative Task': 15 } });
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}/documents?author=${jonesId}`)).body.items.map((d: any) => d.date)).toEqual([`${lastMonth}-21`, `${lastMonth}-20`]);
  });

  it('leaves out a reopened activity, and counts it in its new month once submitted again', async () => {
    const poe = await caseOf(jones, 'Poe');
    const id = await logActivity(jones, 'Taylor Jones', poe, { date: `${lastMonth}-22`, type: 'Advocacy', subcategory: ['Face to Face (Youth)'], units: '1:00' });
    const before = (await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}`)).body;
    const reopened = await t.engine.services.documents.reopen(id, 'test');
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}`)).body).toMatchObject({ total: before.total - 60, documentCount: before.documentCount - 1 });
    const resubmitted = await jones.post(`/api/documents/${id}/submit`, { version: reopened.version, data: { ...reopened.data, activityDate: `${month}-05` }, signature: { name: 'Taylor Jones' } });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${lastMonth}`)).body.total).toBe(before.total - 60);
    const now = (await harborAdmin.get(`/api/period-reviews/master-activity/${month}`)).body;
    expect(now).toMatchObject({ total: 155 + 60, documentCount: 4 });
    // Counting everything anew (as at the start of a store without tallies) gives the same.
    await t.engine.services.periodReviews.recount();
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${month}`)).body).toEqual(now);
    // Back as it was for the tests below.
    const again = await t.engine.services.documents.reopen(id, 'test');
    await jones.post(`/api/documents/${id}/submit`, { version: again.version, data: { ...again.data, activityDate: `${lastMonth}-22` }, signature: { name: 'Taylor Jones' } });
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${month}`)).body.total).toBe(155);
  });

  it('counts every one of several activities an advocate submits at the same moment', async () => {
    const now = new Date();
    const earlier = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 15)).toISOString().slice(0, 7);
    const poe = await caseOf(jones, 'Poe');
    await Promise.all([1, 2, 3, 4].map((day) =>
      logActivity(jones, 'Taylor Jones', poe, { date: `${earlier}-0${day}`, type: 'Advocacy', subcategory: ['Face to Face (Youth)'], units: '0:30' })));
    const shown = (await harborAdmin.get(`/api/period-reviews/master-activity/${earlier}`)).body;
    expect(shown).toMatchObject({ documentCount: 4, total: 120, counts: { Advocacy: 4 } });
    await t.engine.services.periodReviews.recount();
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${earlier}`)).body).toEqual(shown);
  });

  it('submits the month once, keeping its totals, seen by the review afterwards', async () => {
    const res = await harborAdmin.post(`/api/period-reviews/master-activity/${month}/submit`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ period: month, scope: 'Harbor Youth Advocates', total: 155, documentCount: 3, submittedByName: 'Sofia Ramirez' });
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/${month}`)).body.submission).toMatchObject({ total: 155 });
    const again = await harborAdmin.post(`/api/period-reviews/master-activity/${month}/submit`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already submitted .* by Sofia Ramirez/);
    // Bridgeway's month is its own.
    expect((await (await t.login('agency2.admin@example.org')).get(`/api/period-reviews/master-activity/${month}`)).body.submission).toBeNull();
    const audit = await (await t.login('program.admin@example.org')).get('/api/audit?action=period.submit');
    expect(audit.body.items.map((e: any) => e.entity.id)).toEqual([`master-activity:${month}:Harbor Youth Advocates`]);
  });

  it('refuses other roles, unknown reviews, malformed and future months, naming the field', async () => {
    expect((await jones.get(`/api/period-reviews/master-activity/${month}`)).status).toBe(403);
    expect((await jones.post(`/api/period-reviews/master-activity/${month}/submit`)).status).toBe(403);
    expect((await harborAdmin.get(`/api/period-reviews/no-such-review/${month}`)).status).toBe(404);
    const bad = await harborAdmin.get('/api/period-reviews/master-activity/2026-13');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: '/period', message: 'must be a month as YYYY-MM' }]);
    const future = await harborAdmin.post('/api/period-reviews/master-activity/2999-01/submit');
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ path: '/period', message: 'is in the future' }]);
    expect((await t.anonymous.get(`/api/period-reviews/master-activity/${month}`)).status).toBe(401);
  });

  it('refuses a bad page, a bad or unknown advocate, naming the field', async () => {
    const base = `/api/period-reviews/master-activity/${month}`;
    for (const [url, path] of [
      [`${base}?skip=-1`, '/querystring/skip'], [`${base}?limit=0`, '/querystring/limit'], [`${base}?limit=201`, '/querystring/limit'], [`${base}?limit=ten`, '/querystring/limit'],
      [`${base}?page=2`, '/querystring/page'], [`${base}/documents`, '/querystring/author'], [`${base}/documents?author=a%20b`, '/querystring/author'],
      [`${base}/documents?author=${jonesId}&skip=1.5`, '/querystring/skip'], [`${base}/documents?author=${jonesId}&limit=1000`, '/querystring/limit'],
    ]) {
      const res = await harborAdmin.get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.errors.map((e: any) => e.path), url).toEqual([path]);
    }
    const unknown = await harborAdmin.get(`${base}/documents?author=ffffffffffffffffffffffff`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([{ path: '/author', message: 'is no known user' }]);
    expect((await harborAdmin.get(`/api/period-reviews/master-activity/2026-13/documents?author=${jonesId}`)).body.errors).toEqual([{ path: '/period', message: 'must be a month as YYYY-MM' }]);
    expect((await jones.get(`${base}/documents?author=${jonesId}`)).status).toBe(403);
  });

  it('refuses a malformed rules file, naming each problem', () => {
    expect(checkPeriodReviewRules([{ key: 'X', title: '', form: 'f1', dateField: 'date', categoryField: '/a', measureField: '/b', measureUnit: 'hours', reviewerRoles: [], scopeAttribute: 'org', extra: 1 }])).toEqual([
      { path: '/0/extra', message: 'is not a known field' },
      { path: '/0/key', message: 'must be a key (lower case, digits, dashes)' },
      { path: '/0/title', message: 'must be a non-empty text' },
      { path: '/0/dateField', message: 'must be a JSON pointer into the document data' },
      { path: '/0/scopeField', message: 'must be a JSON pointer into the document data' },
      { path: '/0/measureUnit', message: 'must be "minutes" or "number"' },
      { path: '/0/reviewerRoles', message: 'must be a non-empty list of role names' },
    ]);
  });
});
