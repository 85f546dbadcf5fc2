/**
 * The business calendar as a definition (kind `calendar`, key `business`): seeded from the
 * calendar file at start, a version published by an administrator used at once for deadlines
 * (on this node and another on the same store) and kept across a restart, malformed versions
 * and another time zone refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { CALENDAR, MATTER, createHarness, type Harness } from '../runtime/harness.js';
import { principalOf } from '../../src/auth/users.js';
import type { Principal } from '../../src/auth/principal.js';

const CASE_TYPE = {
  ...MATTER,
  schema: { type: 'object', properties: { ...MATTER.schema.properties, closedOn: { type: 'string', format: 'date' } } },
  deliverables: [{ key: 'closing', title: 'Closing', form: 'closing', anchor: '/data/closedOn', due: '=add business days(anchor, 3)' }],
};

let h: Harness;
let worker: Principal;
let caseId: string;

beforeAll(async () => {
  h = await createHarness();
  const { definitions, users, cases } = h.engine.services;
  await definitions.publish('caseType', 'dated-matter', CASE_TYPE, 'test');
  worker = principalOf(await users.create({ email: 'worker@example.org', firstName: 'W', lastName: 'Test', roles: ['worker'], attributes: {}, password: 'Test-Pass-2031!' }, h.clock.now()));
  caseId = (await cases.create(worker, { caseType: 'dated-matter', data: { subject: 'x', office: 'A', closedOn: '2031-01-16' }, people: [{ role: 'worker', userId: worker.userId }] }))._id;
});
afterAll(() => h?.destroy());

const closingDue = async (engine = h.engine) => (await engine.services.deliverables.refresh(caseId))[0].dueDate;

describe('the business calendar definition', () => {
  it('is seeded from the calendar file at start', async () => {
    const latest = await h.engine.services.definitions.latest('calendar', 'business');
    expect(latest).toMatchObject({ version: 1, publishedBy: 'system', content: CALENDAR });
    // Thu 01-16 + 3 business days over the weekend and the holiday Mon 01-20: Wed 01-22.
    expect(await closingDue()).toBe('2031-01-22');
  });

  it('takes a newly published version at once, on this node and on another on the same store', async () => {
    const second = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
    try {
      const { created, definition } = await h.engine.services.definitions.publish('calendar', 'business', { ...CALENDAR, holidays: [...CALENDAR.holidays, '2031-01-17'] }, 'admin');
      expect(created).toBe(true);
      expect(definition.version).toBe(2);
      expect(await closingDue()).toBe('2031-01-23');
      expect(await closingDue(second)).toBe('2031-01-23');
      expect(second.services.calendarDefinition.versionInUse).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('keeps the published version across a restart while the file is unchanged', async () => {
    await h.close();
    await h.open();
    expect((await h.engine.services.definitions.latest('calendar', 'business')).version).toBe(2);
    expect(h.engine.services.calendarDefinition.versionInUse).toBe(2);
    expect(await closingDue()).toBe('2031-01-23');
  });

  it('refuses a malformed calendar, another time zone and another key, naming the field', async () => {
    const { definitions } = h.engine.services;
    await expect(definitions.publish('calendar', 'business', { ...CALENDAR, holidays: ['2031-13-01'] }, 'admin')).rejects.toMatchObject({
      errors: [{ path: '/holidays/0' }],
    });
    await expect(definitions.publish('calendar', 'business', { ...CALENDAR, timeZone: 'America/New_York' }, 'admin')).rejects.toMatchObject({
      errors: [{ path: '/timeZone', message: expect.stringMatching(/America\/Los_Angeles/) }],
    });
    await expect(definitions.publish('calendar', 'other', CALENDAR, 'admin')).rejects.toMatchObject({ errors: [{ path: 'key' }] });
  });
});
