/** A real engine (embedded store on a temp folder, test clock, business calendar) for runtime tests. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../src/app.js';
import type { Principal } from '../../src/auth/principal.js';
import { principalOf } from '../../src/auth/users.js';
import { loadConfig, type EngineConfig } from '../../src/config.js';
import { TestClock } from '../../src/runtime/time/index.js';
import { twoLevelApproval } from './bpmn-builder.js';

export const CALENDAR = { timeZone: 'America/Los_Angeles', weekend: [6, 7], holidays: ['2031-01-20'] };

export const MATTER = {
  title: 'Matter',
  numbering: { prefix: 'M-', digits: 5 },
  statuses: ['New', 'Pending Supervisor', 'Rejected', 'Approved', 'Escalated'],
  initialStatus: 'New',
  roles: ['worker', 'supervisor', 'admin'],
  schema: { type: 'object', properties: { subject: { type: 'string' }, office: { type: 'string' } } },
  uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/subject' }] },
};

export interface Harness {
  engine: Engine;
  config: EngineConfig;
  clock: TestClock;
  dir: string;
  users: Record<string, Principal>;
  open(): Promise<void>;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** Test clocks run after the real date: bpmn-engine measures its own timers against real time. */
export const START = new Date('2031-01-06T17:00:00Z'); // Monday 09:00 in Los Angeles

/** `overrides` replace parts of the configuration (e.g. period review rules). */
export async function createHarness(dataDir?: string, overrides: Partial<EngineConfig> = {}): Promise<Harness> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'runtime-')));
  await mkdir(path.join(dir, 'empty'), { recursive: true });
  await writeFile(path.join(dir, 'calendar.json'), JSON.stringify(CALENDAR));
  const config: EngineConfig = {
    ...loadConfig({ DATA_DIR: path.join(dir, 'data'), DEMO_DATA: 'none' }),
    formsDir: path.join(dir, 'empty'),
    processesDir: path.join(dir, 'empty'),
    calendarFile: path.join(dir, 'calendar.json'),
    ...overrides,
  };
  const clock = new TestClock(START);
  const harness: Harness = {
    engine: undefined as unknown as Engine,
    config,
    clock,
    dir,
    users: {},
    async open() {
      harness.engine = await createEngine(config, { clock });
    },
    async close() {
      await harness.engine.close();
    },
    async destroy() {
      await harness.engine?.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await harness.open();
  return harness;
}

/** Publishes the test case type and the two-level approval, and creates the people. */
export async function seedApproval(h: Harness): Promise<void> {
  const { definitions, users } = h.engine.services;
  await definitions.publish('caseType', 'matter', MATTER, 'test');
  await definitions.publish('template', 'reminder', { title: 'Reminder', subject: 'Matter {{ case.number }} waits for your review', text: '{{ link }}' }, 'test');
  await definitions.publish('process', 'two-level-approval', { xml: twoLevelApproval() }, 'test');
  const people: [string, string, Record<string, unknown>][] = [
    ['worker', 'worker', { office: 'A' }],
    ['supA1', 'supervisor', { office: 'A' }],
    ['supA2', 'supervisor', { office: 'A' }],
    ['supB', 'supervisor', { office: 'B' }],
    ['admin', 'admin', {}],
  ];
  for (const [name, role, attributes] of people) {
    const user = await users.create({ email: `${name}@example.org`, firstName: name, lastName: 'Test', roles: [role], attributes, password: 'Test-Pass-2031!' }, h.clock.now());
    h.users[name] = principalOf(user);
  }
}

export async function openMatter(h: Harness) {
  const { cases } = h.engine.services;
  return cases.create(h.users.worker, {
    caseType: 'matter',
    data: { subject: 'Housing', office: 'A' },
    people: [{ role: 'worker', userId: h.users.worker.userId }, { role: 'supervisor', userId: h.users.supA1.userId }],
  });
}
