/**
 * A holiday list published through the API moves the business-day due dates computed after it:
 * at once on the node that published it, and on another node on the same store once it looks
 * again (CALENDAR_CHECK_MS of engine time); due dates computed before keep their value.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALENDAR_CHECK_MS, createEngine, type Engine } from '../../src/app.js';
import { buildBpmn, task } from './bpmn-builder.js';
import { CALENDAR, createHarness, type Harness } from './harness.js';

let h: Harness;
let other: Engine;
beforeAll(async () => {
  h = await createHarness();
  other = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
});
afterAll(async () => {
  await other?.close();
  await h?.destroy();
});

const PASSWORD = 'Test-Pass-2031!';

async function publisherSession(engine: Engine) {
  await engine.services.users.create({ email: 'publisher@example.org', firstName: 'P', lastName: 'Test', roles: ['program-admin'], attributes: {}, password: PASSWORD }, h.clock.now());
  const login = await engine.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'publisher@example.org', password: PASSWORD } });
  expect(login.statusCode).toBe(200);
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0];
  return (url: string, payload: object) => engine.http.inject({ method: 'POST', url, payload, headers: { cookie, 'x-csrf-token': login.json().csrfToken } });
}

const dueOfNewTask = async (engine: Engine) => {
  const started = await engine.services.runtime.start({ processKey: 'due-in-three', startedBy: 'test' });
  return (await engine.services.tasks.tasks.findOne({ instanceId: started._id }))!.dueAt!.toISOString();
};

it('computes business-day due dates with the latest published holidays', async () => {
  const post = await publisherSession(h.engine);
  const xml = buildBpmn('dueInThree', [
    { id: 'start', type: 'startEvent' },
    { id: 'act', type: 'userTask', name: 'Act', body: task('worker', 'due="=add business days(today(), 3)"') },
    { id: 'end', type: 'endEvent' },
  ], [{ id: 'f1', from: 'start', to: 'act' }, { id: 'f2', from: 'act', to: 'end' }]);
  expect((await post('/api/definitions/process/due-in-three', { xml })).statusCode).toBe(200);

  // Monday 2031-01-06 + 3 business days: Thursday the 9th (midnight in Los Angeles).
  const before = await dueOfNewTask(h.engine);
  expect(before).toBe('2031-01-09T08:00:00.000Z');
  expect(await dueOfNewTask(other)).toBe(before);

  const published = await post('/api/definitions/calendar/business', { ...CALENDAR, holidays: ['2031-01-08', ...CALENDAR.holidays] });
  expect(published.statusCode).toBe(200);
  expect(published.json().definition.version).toBe(2);

  expect(await dueOfNewTask(h.engine)).toBe('2031-01-10T08:00:00.000Z'); // the publishing node: at once
  // Another node looks again once CALENDAR_CHECK_MS of engine time has passed since its last look.
  expect(await dueOfNewTask(other)).toBe(before);
  h.clock.advance(CALENDAR_CHECK_MS);
  expect(await dueOfNewTask(other)).toBe('2031-01-10T08:00:00.000Z');
  const first = await h.engine.services.tasks.tasks.find({}, { sort: { createdAt: 1 }, limit: 1 });
  expect(first[0].dueAt!.toISOString()).toBe(before); // computed before: kept
});
