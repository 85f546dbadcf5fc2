import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { DefinitionService } from '../../src/definitions/index.js';
import { CaseAccess, visibilityIndexes } from '../../src/documents/case-access.js';
import { safeFileName } from '../../src/documents/case-files.js';
import { CaseService } from '../../src/documents/case-service.js';
import { DocumentService } from '../../src/documents/document-service.js';
import { FormValidator } from '../../src/documents/form-validator.js';
import { FollowUps } from '../../src/followups/follow-ups.js';
import type { EmbeddedCollection } from '../../src/store/embedded/collection.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { Clock } from '../../src/clock.js';

let dir: string;
let store: Store;
let cases: CaseService;
let documents: DocumentService;
let now = new Date('2026-01-05T10:00:00Z');
const clock: Clock = { now: () => now };
const owner: Principal = { userId: 'u1', email: 'a@example.org', name: 'Ann Owner', roles: ['opener'], attributes: {} };
const stranger: Principal = { userId: 'u2', email: 'b@example.org', name: 'Bo Stranger', roles: ['opener'], attributes: {} };
const auditor: Principal = { userId: 'u3', email: 'c@example.org', name: 'Cy Auditor', roles: ['auditor'], attributes: {} };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'docs-'));
  store = await openStore({ dataDir: dir });
  const definitions = new DefinitionService(store);
  await definitions.init();
  const ui = (props: string[]) => ({ type: 'VerticalLayout', elements: props.map((p) => ({ type: 'Control', scope: `#/properties/${p}` })) });
  await definitions.publish('caseType', 'matter', {
    title: 'Matter', numbering: { prefix: 'M-', digits: 4 }, statuses: ['Open', 'Closed'], initialStatus: 'Open',
    roles: ['owner'], createRoles: ['opener'],
    visibility: { opener: [{ holdsRole: '*' }, { createdByMe: true }], auditor: [{ all: true }] },
    schema: { type: 'object', properties: { subject: { type: 'string', title: 'Subject' }, opened: { type: 'string', format: 'date' } }, required: ['subject'] },
    uischema: ui(['subject', 'opened']),
  }, 'test');
  await definitions.publish('form', 'note', {
    title: 'Note', prefill: { '/about': '/data/subject', '/ref': '/number' },
    schema: { type: 'object', properties: { about: { type: 'string' }, ref: { type: 'string' }, text: { type: 'string', title: 'Text' } }, required: ['text'] },
    uischema: ui(['about', 'ref', 'text']),
  }, 'test');
  const validator = new FormValidator();
  const followUps = new FollowUps(store, clock);
  cases = new CaseService(store, definitions, new CaseAccess(definitions, store.collection('users')), validator, clock, followUps);
  documents = new DocumentService(store, definitions, cases, validator, clock, followUps);
  await cases.init();
  await documents.init();
});

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cases', () => {
  it('numbers concurrent new cases without gaps or repeats', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, () => cases.create(owner, { caseType: 'matter', data: { subject: 's' } })));
    const numbers = created.map((c) => c.number).sort();
    expect(new Set(numbers).size).toBe(20);
    expect(numbers[0]).toBe('M-0001');
    expect(numbers[19]).toBe('M-0020');
  });

  it('shows a case to its opener, its people and read-all roles only', async () => {
    const c = await cases.create(owner, { caseType: 'matter', data: { subject: 'private' } });
    await expect(cases.get(stranger, c._id)).rejects.toMatchObject({ status: 404 });
    expect((await cases.get(auditor, c._id))._id).toBe(c._id);
    expect((await cases.list(stranger, {})).total).toBe(0);
  });

  it('refuses a status the case type does not define, and a stale version', async () => {
    const c = await cases.create(owner, { caseType: 'matter', data: { subject: 's' } });
    await expect(cases.setStatus(c._id, 'Lost', 'u1')).rejects.toMatchObject({ status: 422 });
    const closed = await cases.setStatus(c._id, 'Closed', 'u1');
    expect(closed).toMatchObject({ status: 'Closed', version: 2 });
    await expect(cases.setStatus(c._id, 'Open', 'u1', 1)).rejects.toMatchObject({ status: 409 });
  });
});

describe('documents', () => {
  it('prefills from case data and case fields, submits, reopens and submits again', async () => {
    const c = await cases.create(owner, { caseType: 'matter', data: { subject: 'Housing' } });
    const draft = await documents.create(owner, c._id, 'note');
    expect(draft.data).toEqual({ about: 'Housing', ref: c.number });
    now = new Date('2026-01-06T09:30:00Z');
    const submitted = await documents.submit(owner, draft._id, { data: { ...draft.data, text: 'done' }, signatureName: 'Ann Owner', expectedVersion: 1 });
    expect(submitted.signature).toEqual({ signerId: 'u1', signerName: 'Ann Owner', signedAt: now });
    expect(submitted.submittedAt).toEqual(now);
    await expect(documents.saveDraft(owner, draft._id, { text: 'x' }, submitted.version)).rejects.toMatchObject({ status: 409 });

    const reopened = await documents.reopen(draft._id, 'process', 'Returned for changes');
    expect(reopened).toMatchObject({ stage: 'draft', status: 'Returned for changes' });
    expect(reopened.signature).toBeUndefined();
    await expect(documents.reopen(draft._id, 'process')).rejects.toMatchObject({ status: 409 });
    const saved = await documents.saveDraft(owner, draft._id, { ...reopened.data, text: 'fixed' }, reopened.version);
    expect(saved.data.text).toBe('fixed');
    const again = await documents.submit(owner, draft._id, { signatureName: 'ann owner', expectedVersion: saved.version });
    expect(again.stage).toBe('submitted');
  });
});

describe('safeFileName', () => {
  it('keeps only a plain name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('a\u0000b\u001f.txt')).toBe('ab.txt');
    expect(safeFileName('.hidden')).toBe('hidden');
  });
});

describe('visibility indexes', () => {
  it('are made at start for the case types already published, before any case is listed (a report may be the first to read cases)', async () => {
    const definitions = new DefinitionService(store);
    await definitions.publish('caseType', 'parcel', {
      title: 'Parcel', numbering: { prefix: 'P-', digits: 4 }, statuses: ['Open'], initialStatus: 'Open', roles: ['owner'], createRoles: ['clerk'],
      visibility: { clerk: [{ caseField: 'data.depot', equalsAttribute: 'depot' }] },
      schema: { type: 'object', properties: { depot: { type: 'string' } } },
      uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/depot' }] },
    }, 'test');
    const keys = async () => (await store.collection('cases').listIndexes()).map((index) => index.key);
    expect(await keys()).not.toContainEqual({ caseType: 1, 'data.depot': 1 });
    const started = new CaseService(store, definitions, new CaseAccess(definitions, store.collection('users')), new FormValidator(), clock, new FollowUps(store, clock));
    await started.init();
    expect(await keys()).toContainEqual({ caseType: 1, 'data.depot': 1 });
  });

  it('lists a role with several case-field rules from indexes on those fields, made when the cases are first listed', async () => {
    const definitions = new DefinitionService(store);
    await definitions.publish('caseType', 'errand', {
      title: 'Errand', numbering: { prefix: 'E-', digits: 4 }, statuses: ['Open'], initialStatus: 'Open', roles: ['owner'], createRoles: ['clerk'],
      visibility: { clerk: [{ caseField: 'data.office', equalsAttribute: 'office' }, { caseField: 'data.urgent', equals: true }, { createdByMe: true }] },
      schema: { type: 'object', properties: { office: { type: 'string' }, urgent: { type: 'boolean' } } },
      uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/office' }] },
    }, 'test');
    const opener: Principal = { userId: 'u9', email: 'd@example.org', name: 'Di Opener', roles: ['clerk'], attributes: { office: 'south' } };
    const clerk: Principal = { userId: 'u8', email: 'e@example.org', name: 'Ed Clerk', roles: ['clerk'], attributes: { office: 'north' } };
    const made = [];
    for (const data of [{ office: 'north' }, { office: 'south' }, { office: 'south', urgent: true }, { office: 'east', urgent: false }]) {
      made.push(await cases.create(opener, { caseType: 'errand', data }));
    }
    const listed = await cases.list(clerk, { caseType: 'errand' });
    expect(listed.items.map((c) => c.number).sort()).toEqual([made[0].number, made[2].number]);
    expect(listed.total).toBe(2);
    const indexes = (store.collection('cases') as EmbeddedCollection).indexes.forReads.map((index) => index.definition.key);
    expect(indexes).toEqual(expect.arrayContaining([{ caseType: 1, 'data.office': 1 }, { caseType: 1, 'data.urgent': 1 }]));
    expect(visibilityIndexes({ a: [{ holdsRole: '*' }, { caseField: 'data.x', equals: 1 }], b: [{ caseField: 'data.x', equalsAttribute: 'x' }, { all: true }] }))
      .toEqual([{ caseType: 1, 'data.x': 1 }]);
  });
});
