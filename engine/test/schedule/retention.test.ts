/** The daily retention run: expired transient records go, everything else stays, once per day across nodes. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Leases } from '../../src/schedule/leases.js';
import { engineRetentionRules, RetentionJob } from '../../src/schedule/retention.js';
import { createHarness, type Harness } from '../runtime/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.destroy());

const DAY = 86_400_000;

it('deletes expired sessions, reset links, sign-on attempts, old done leases and old sent notices, and nothing else', async () => {
  const { store } = h.engine.services;
  const now = h.clock.now().getTime();
  const at = (days: number) => new Date(now + days * DAY);
  for (const name of ['sessions', 'password_resets', 'oidc_logins']) {
    await store.collection(name).insertMany([{ _id: `${name}-old`, expiresAt: at(-1) }, { _id: `${name}-live`, expiresAt: at(1) }]);
  }
  await store.collection('leases').insertMany([
    { _id: 'done-old', owner: 'x', until: at(-8), done: true },
    { _id: 'done-recent', owner: 'x', until: at(-1), done: true },
    { _id: 'held-old', owner: 'x', until: at(-8), done: false },
  ]);
  await store.collection('outbox').insertMany([
    { _id: 'sent-old', status: 'sent', sentAt: at(-200) },
    { _id: 'sent-recent', status: 'sent', sentAt: at(-10) },
    { _id: 'failed-old', status: 'failed', failedAt: at(-300) },
  ]);
  const job = (node: string) => new RetentionJob(store, new Leases(store, node, h.clock), h.clock, engineRetentionRules({ sentNotificationDays: 180 }), 'America/Los_Angeles');

  const [first, second] = await Promise.all([job('a').runOnce(), job('b').runOnce()]);
  const ran = first ?? second;
  expect([first, second].filter((r) => r === null)).toHaveLength(1); // one node runs it
  expect(ran).toEqual({ sessions: 1, password_resets: 1, oidc_logins: 1, leases: 1, outbox: 1 });
  for (const name of ['sessions', 'password_resets', 'oidc_logins']) {
    expect((await store.collection(name).find({})).map((d) => d._id)).toEqual([`${name}-live`]);
  }
  expect((await store.collection('leases').find({ _id: { $ne: 'retention:2031-01-06' } })).map((d) => d._id).sort()).toEqual(['done-recent', 'held-old']);
  expect((await store.collection('outbox').find({})).map((d) => d._id).sort()).toEqual(['failed-old', 'sent-recent']);

  expect(await job('a').runOnce()).toBeNull(); // the same county day: done already
  h.clock.advance(DAY + 60_000);
  expect(await job('b').runOnce()).toEqual({ sessions: 1, password_resets: 1, oidc_logins: 1, leases: 0, outbox: 0 });
});

it('keeps delivered notices when told to (0 days)', () => {
  expect(engineRetentionRules({ sentNotificationDays: 0 }).map((r) => r.collection)).not.toContain('outbox');
});
