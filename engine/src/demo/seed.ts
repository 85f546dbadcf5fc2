/**
 * Loads a demo data set (users, cases, documents) into an empty store. The data set is
 * configuration content (a JSON file next to the forms), not engine code.
 */
import { readFile } from 'node:fs/promises';
import type { Principal } from '../auth/principal.js';
import { principalOf, type NewUser } from '../auth/users.js';
import type { EngineServices } from '../services.js';

export interface DemoData {
  /** Shown by the start command so a demo user can sign in. */
  password: string;
  users: Omit<NewUser, 'password'>[];
  cases: {
    caseType: string;
    createdBy: string;
    data: Record<string, any>;
    status?: string;
    people: { role: string; email: string }[];
    documents?: { form: string; by: string; data: Record<string, any>; submit?: boolean }[];
  }[];
}

export interface DemoSeedResult {
  seeded: boolean;
  logins: { email: string; roles: string[] }[];
  password: string;
}

/** Merges demo values over prefilled ones, object by object, so prefill survives. */
function mergeDeep(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    out[key] = isObject(value) && isObject(out[key]) ? mergeDeep(out[key], value) : value;
  }
  return out;
}

export async function readDemoData(file: string): Promise<DemoData> {
  return JSON.parse(await readFile(file, 'utf8')) as DemoData;
}

/** Seeds only a store with no users, so a second start on the same data keeps what is there. */
export async function seedDemoData(services: EngineServices, demo: DemoData): Promise<DemoSeedResult> {
  const logins = demo.users.map((u) => ({ email: u.email, roles: u.roles }));
  if ((await services.users.users.countDocuments({})) > 0) return { seeded: false, logins, password: demo.password };

  const now = services.clock.now();
  const byEmail = new Map<string, Principal>();
  for (const user of demo.users) {
    byEmail.set(user.email.toLowerCase(), principalOf(await services.users.create({ ...user, password: demo.password }, now)));
  }
  const who = (email: string): Principal => {
    const principal = byEmail.get(email.toLowerCase());
    if (!principal) throw new Error(`demo data names an unknown user ${email}`);
    return principal;
  };

  for (const entry of demo.cases) {
    const creator = who(entry.createdBy);
    const created = await services.cases.create(creator, {
      caseType: entry.caseType,
      data: entry.data,
      people: entry.people.map((p) => ({ role: p.role, userId: who(p.email).userId })),
    });
    if (entry.status) await services.cases.setStatus(created._id, entry.status, creator.userId);
    for (const doc of entry.documents ?? []) {
      const author = who(doc.by);
      const draft = await services.documents.create(author, created._id, doc.form);
      const data = mergeDeep(draft.data, doc.data);
      const saved = await services.documents.saveDraft(author, draft._id, data, draft.version);
      if (doc.submit) await services.documents.submit(author, saved._id, { signatureName: author.name, expectedVersion: saved.version });
    }
  }
  return { seeded: true, logins, password: demo.password };
}
