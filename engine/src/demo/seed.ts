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
  /** The time zone `date:today` is read in (default UTC). */
  timeZone?: string;
  users: Omit<NewUser, 'password'>[];
  cases: {
    caseType: string;
    /** What the case shows in the demo (documentation only). */
    comment?: string;
    createdBy: string;
    data: Record<string, any>;
    status?: string;
    people: { role: string; email: string }[];
    documents?: { form: string; by: string; data: Record<string, any>; submit?: boolean }[];
    /**
     * What happens to the case after its documents, in order, through the same services the API
     * uses, so statuses, tasks, instances, history and notifications are what the processes produce.
     */
    steps?: DemoStep[];
  }[];
}

/**
 * One seeding step. In `data`, a string `user:<e-mail>` stands for that user's id (e.g. the
 * user a task's decision names) and `date:today` for the seeding day's date.
 */
export type DemoStep =
  /** A user writes a document (merged over the prefilled draft) and, with `submit`, signs and submits it. */
  | { document: string; by: string; data?: Record<string, any>; submit?: boolean; comment?: string }
  /** A user completes the case's open task `task` (its activity id) with a decision and its data. */
  | { task: string; by: string; decision: string; reason?: string; data?: Record<string, any>; comment?: string }
  /** A user changes case fields (merged over the case data) as the API would, within their edit permissions. */
  | { caseData: Record<string, any>; by: string; comment?: string }
  /** Sets the status directly, for a state no process leads to; `comment` says why. */
  | { status: string; by: string; comment: string };

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

  const today = now.toLocaleDateString('en-CA', { timeZone: demo.timeZone ?? 'UTC' });
  const resolveUsers = (value: unknown): unknown => {
    if (value === 'date:today') return today;
    if (typeof value === 'string' && value.startsWith('user:')) return who(value.slice('user:'.length)).userId;
    if (Array.isArray(value)) return value.map(resolveUsers);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveUsers(v)]));
    return value;
  };
  const writeDocument = async (caseId: string, form: string, by: string, over: Record<string, any>, submit: boolean) => {
    const author = who(by);
    const draft = await services.documents.create(author, caseId, form);
    const saved = await services.documents.saveDraft(author, draft._id, mergeDeep(draft.data, resolveUsers(over) as Record<string, any>), draft.version);
    if (submit) await services.documents.submit(author, saved._id, { signatureName: author.name, expectedVersion: saved.version });
  };

  for (const entry of demo.cases) {
    const creator = who(entry.createdBy);
    const created = await services.cases.create(creator, {
      caseType: entry.caseType,
      data: entry.data,
      people: entry.people.map((p) => ({ role: p.role, userId: who(p.email).userId })),
    });
    if (entry.status) await services.cases.setStatus(created._id, entry.status, creator.userId);
    for (const doc of entry.documents ?? []) await writeDocument(created._id, doc.form, doc.by, doc.data, doc.submit === true);
    for (const step of entry.steps ?? []) {
      if ('document' in step) {
        await writeDocument(created._id, step.document, step.by, step.data ?? {}, step.submit === true);
      } else if ('caseData' in step) {
        const editor = who(step.by);
        const current = await services.cases.get(editor, created._id);
        await services.cases.updateData(editor, created._id, { ...current.data, ...(resolveUsers(step.caseData) as Record<string, any>) }, current.version);
      } else if ('task' in step) {
        const actor = who(step.by);
        const task = (await services.tasks.listFor(actor, { caseId: created._id })).find((t) => t.activityId === step.task);
        if (!task) throw new Error(`demo data: ${step.by} has no open task ${step.task} on case ${created.number}`);
        await services.tasks.complete(actor, task._id, {
          decision: step.decision,
          ...(step.reason ? { reason: step.reason } : {}),
          ...(step.data ? { data: resolveUsers(step.data) as Record<string, unknown> } : {}),
        });
      } else {
        await services.cases.setStatus(created._id, step.status, who(step.by).userId);
      }
    }
  }
  return { seeded: true, logins, password: demo.password };
}
