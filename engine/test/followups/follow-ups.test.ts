/**
 * The follow-up journal on the real embedded store: a submit's after-work (start the form's
 * process, refresh the case's deliverables, recount the author's period tallies) survives a
 * SIGKILL between the submit's commit and the work, is not done twice when the crash came after
 * the process start committed, and a failing piece retries with a backoff without holding up the others.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import type { Principal } from '../../src/auth/principal.js';
import type { Harness } from '../runtime/harness.js';
import { NOTE_DATA, afterWork, openHarness, seedNote } from './setup.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
let dir = '';
let h: Harness | undefined;

afterEach(async () => {
  await h?.destroy();
  h = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

/** Runs the child until it kills itself at the hook; resolves with the ids it printed. */
type CrashPoint = 'before-start' | 'after-start' | 'after-deliver';

function submitAndCrash(mode: CrashPoint): Promise<{ author: Principal; caseId: string; draftId: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-child.ts'), dir, mode], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith('IDS '));
      if (signal === 'SIGKILL' && line) resolve(JSON.parse(line.slice(4)));
      else reject(new Error(`child exited ${code ?? signal} without crashing at the hook:\n${out}`));
    });
  });
}

/** A child submits and dies at `point` in a new data folder; the engine reopened on it here (also `h`, closed after the test), with what the after-work left. */
async function crashAndReopen(point: CrashPoint) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'follow-ups-'));
  const ids = await submitAndCrash(point);
  const reopened = await openHarness(dir);
  h = reopened;
  return { ids, reopened, after: await afterWork(reopened, ids) };
}

describe('follow-ups after a crash', () => {
  it('replays a submit whose after-work a SIGKILL cut off: one instance, deliverables refreshed, tallies recounted', async () => {
    const { ids, after, reopened } = await crashAndReopen('before-start');
    expect(await reopened.engine.services.documents.documents.findOne({ _id: ids.draftId })).toMatchObject({ stage: 'submitted' });
    expect(after.instances).toHaveLength(1);
    expect(after.instances[0]).toMatchObject({ processKey: 'note-review', status: 'running', startedBy: ids.author.userId, waiting: [expect.objectContaining({ activityId: 'review' })] });
    expect(after).toMatchObject({ outcome: 'completed', documentId: ids.draftId, tallyCount: 1 });
    expect(await reopened.engine.services.followUps.records.countDocuments({})).toBe(0);
    // A second restart replays nothing more.
    await reopened.close();
    await reopened.open();
    expect((await afterWork(reopened, ids)).instances).toHaveLength(1);
  }, 120_000);

  it('does not start a second instance nor deliver anything to it when the crash came after the start committed', async () => {
    const { after, reopened } = await crashAndReopen('after-start');
    expect(after.instances).toHaveLength(1);
    const history = (await reopened.engine.services.runtime.get(after.instances[0]._id)).history;
    expect(history.filter((e) => e.event === 'message')).toEqual([]);
    // The pieces the crash did cut off were replayed.
    expect(after).toMatchObject({ outcome: 'completed', tallyCount: 1 });
    expect(await reopened.engine.services.followUps.records.countDocuments({})).toBe(0);
  }, 120_000);

  it('does not deliver the resubmission twice when the crash came after the message was saved', async () => {
    const { after, reopened } = await crashAndReopen('after-deliver');
    expect(after.instances).toHaveLength(1);
    const instance = await reopened.engine.services.runtime.get(after.instances[0]._id);
    expect(instance.history.filter((e) => e.event === 'message')).toHaveLength(1);
    expect(instance.waiting).toEqual([expect.objectContaining({ activityId: 'review' })]);
    // Reopened, then submitted again: the tally counts the note once more.
    expect(after.tallyCount).toBe(1);
    expect(await reopened.engine.services.followUps.records.countDocuments({})).toBe(0);
  }, 120_000);
});

describe('a failing follow-up', () => {
  it('keeps its error, retries after a backoff and holds up none of the others; the submit answers the refusal as before', async () => {
    h = await openHarness();
    const ids = await seedNote(h, 'B'); // the process's check refuses a case of office B
    const { documents, followUps, cases } = h.engine.services;
    const refused = await documents.submit(ids.author, ids.draftId, { data: NOTE_DATA, signatureName: ids.author.name, expectedVersion: ids.version }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([expect.objectContaining({ path: '/data/office' })]);

    // The deliverables and tallies that come after the process were still brought up to date.
    expect(await afterWork(h, ids)).toMatchObject({ instances: [], outcome: 'completed', tallyCount: 1 });
    const [pending] = await followUps.records.find({});
    expect(pending).toMatchObject({ event: 'document.submitted', kind: 'process', status: 'pending', attempts: 1, lastError: expect.stringMatching(/office A/) });
    expect(pending.runAfter.getTime()).toBe(h.clock.now().getTime() + followUps.options.retryBaseMs);

    // Before its backoff has passed the tick leaves it alone.
    expect(await followUps.replay()).toEqual({ done: 0, failed: [] });
    // Still failing: the delay doubles.
    h.clock.advance(followUps.options.retryBaseMs);
    expect((await followUps.replay()).failed).toHaveLength(1);
    expect((await followUps.records.findOne({ _id: pending._id }))).toMatchObject({ attempts: 2, runAfter: new Date(h.clock.now().getTime() + 2 * followUps.options.retryBaseMs) });

    // Once the cause is fixed, the next due replay starts the process and clears the record.
    await cases.setDataField(ids.caseId, ['office'], 'A', 'test');
    h.clock.advance(2 * followUps.options.retryBaseMs);
    expect(await followUps.replay()).toEqual({ done: 1, failed: [] });
    expect((await afterWork(h, ids)).instances).toEqual([expect.objectContaining({ processKey: 'note-review', status: 'running' })]);
    expect(await followUps.records.countDocuments({})).toBe(0);
  });

  it("is listed for the engine's publishers with its error, and a retry runs it at once once its cause is fixed", async () => {
    h = await openHarness();
    const ids = await seedNote(h, 'B');
    const { documents, users, cases } = h.engine.services;
    await documents.submit(ids.author, ids.draftId, { data: NOTE_DATA, signatureName: ids.author.name, expectedVersion: ids.version }).catch(() => undefined);
    await users.create({ email: 'ops@example.org', firstName: 'Olu', lastName: 'Ops', roles: h.config.publisherRoles, attributes: {}, password: 'Test-Pass-2031!' }, h.clock.now());
    const as = async (email: string) => {
      const login = await h!.engine.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'Test-Pass-2031!' } });
      expect(login.statusCode).toBe(200);
      const headers = { cookie: String([login.headers['set-cookie']].flat()[0]).split(';')[0], 'x-csrf-token': login.json().csrfToken };
      return (method: 'GET' | 'POST', url: string) => h!.engine.http.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) });
    };
    const ops = await as('ops@example.org');

    const listed = await ops('GET', '/api/follow-ups?failing=true');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([expect.objectContaining({ event: 'document.submitted', kind: 'process', attempts: 1, lastError: expect.stringMatching(/office A/), payload: { documentId: ids.draftId, by: ids.author.userId } })]);
    const [{ _id: id }] = listed.json();
    // Only publishers see the journal; a bad id or limit is a 400 naming it, an unknown one a 404.
    expect((await (await as('author@example.org'))('GET', '/api/follow-ups')).statusCode).toBe(403);
    expect((await ops('GET', '/api/follow-ups?limit=0')).json()).toMatchObject({ errors: [expect.objectContaining({ path: '/querystring/limit' })] });
    expect((await ops('POST', '/api/follow-ups/bad%20id/retry')).statusCode).toBe(400);
    expect((await ops('POST', '/api/follow-ups/document.submitted:process:nope/retry')).statusCode).toBe(404);

    // Still failing: the answer says why, and the record keeps counting.
    expect((await ops('POST', `/api/follow-ups/${id}/retry`)).json()).toEqual({ done: false, error: expect.stringMatching(/office A/) });
    expect((await ops('GET', '/api/follow-ups?failing=true')).json()).toEqual([expect.objectContaining({ _id: id, attempts: 2 })]);
    // Fixed: a retry runs it now, without waiting out its backoff, and the journal is empty.
    await cases.setDataField(ids.caseId, ['office'], 'A', 'test');
    expect((await ops('POST', `/api/follow-ups/${id}/retry`)).json()).toEqual({ done: true });
    expect((await afterWork(h, ids)).instances).toEqual([expect.objectContaining({ processKey: 'note-review', status: 'running' })]);
    expect((await ops('GET', '/api/follow-ups')).json()).toEqual([]);
    expect((await ops('POST', `/api/follow-ups/${id}/retry`)).statusCode).toBe(404);
    // (both at the same test-clock instant, so in no particular order)
    const retries = (await h.engine.services.audit.search({ action: 'follow-up.retry' })).items;
    expect(retries).toHaveLength(2);
    expect(retries).toEqual(expect.arrayContaining([
      expect.objectContaining({ outcome: 'failed', entity: { type: 'follow-up', id } }),
      expect.objectContaining({ outcome: 'done', entity: { type: 'follow-up', id } }),
    ]));
  });
});
