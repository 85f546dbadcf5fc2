/** Reading the notification outbox in API tests: what each step queued, by template, addresses and subject. */
import type { NewUser } from '../../engine/src/auth/users.js';
import { DEMO_PASSWORD, type TestEngine } from './engine.js';

export interface Notice {
  template: string;
  subject: string;
  to: string[];
  cc: string[];
  text: string;
  unresolved: string[];
}

/** Every notice queued for a case, oldest first. */
export async function noticesFor(t: TestEngine, caseId: string): Promise<Notice[]> {
  const records = await t.engine.services.outbox.records.find({ caseId }, { sort: { createdAt: 1 } });
  return records.map((r) => ({
    template: r.template,
    subject: r.subject,
    to: r.to.map((x) => x.email),
    cc: r.cc.map((x) => x.email),
    text: r.text,
    unresolved: r.unresolved,
  }));
}

/** Creates an extra user (a role or office the demo data lacks) and returns its id. */
export async function addUser(t: TestEngine, user: Omit<NewUser, 'password'>): Promise<string> {
  return (await t.engine.services.users.create({ ...user, password: DEMO_PASSWORD }, t.engine.services.clock.now()))._id;
}

export async function userId(t: TestEngine, email: string): Promise<string> {
  const user = await t.engine.services.users.users.findOne({ email });
  if (!user) throw new Error(`no user ${email}`);
  return user._id;
}
