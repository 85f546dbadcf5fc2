/**
 * Imports rows of an external extract into cases of a case type, as its `import` block says:
 * each row creates the case its key names, or brings that case's data and people up to date.
 * Importing the same rows again changes nothing. Every row gets an outcome (created, updated,
 * unchanged, rejected with the column, case field and reason of each problem); a rejected
 * row stores nothing, the good rows are stored. A change of a person the import fills can
 * queue a notice to the holders of other roles on the case, through the outbox.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { hasAnyRole } from '../auth/principal.js';
import { displayName, type UserDirectory, type UserRecord } from '../auth/users.js';
import { diffFields, type FieldChange, type NewAuditEntry } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { CaseTypeContent, Definition, DefinitionService } from '../definitions/index.js';
import type { CasePerson, CaseRecord, CaseService } from '../documents/case-service.js';
import type { FormValidator } from '../documents/form-validator.js';
import type { FollowUpEvent, FollowUps } from '../followups/follow-ups.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { parsePointer, pointer, setAt } from '../json-pointer.js';
import type { Notifier } from '../notifications/notifier.js';
import { Leases } from '../schedule/leases.js';
import type { Store } from '../store/types.js';
import type { CaseImportConfig } from './import-config.js';
import { columnFor, mapRow, type MappedRow, type RowProblem } from './row-mapping.js';

export const MAX_IMPORT_ROWS = 5000;
/** How long an import may hold its case type's lease before another may take it over (its node died). */
const IMPORT_LEASE_MS = 15 * 60_000;

export interface SourceRow {
  /** 1-based position among the data rows (the header is not counted). */
  row: number;
  /** The file line the row starts on, for CSV. */
  line?: number;
  cells: Record<string, string>;
}

export type RowOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface PersonChange {
  role: string;
  before: string | null;
  after: string;
}

export interface QueuedNotice {
  template: string;
  to: string[];
  cc: string[];
}

export interface RowReport {
  row: number;
  line?: number;
  key?: string;
  outcome: RowOutcome;
  caseId?: string;
  caseNumber?: string;
  /** Case fields (`/data/...`) and people (`/people/<role>`) the row changed. */
  changed?: string[];
  notified?: QueuedNotice[];
  problems?: RowProblem[];
}

export interface ImportReport {
  caseType: string;
  dryRun: boolean;
  totals: Record<RowOutcome, number>;
  /** Columns of the file the import does not read. */
  ignoredColumns: string[];
  rows: RowReport[];
}

export type AuditSink = (entry: Omit<NewAuditEntry, 'userId' | 'userName' | 'ip' | 'userAgent' | 'outcome'>) => Promise<void>;

export interface ImportOptions {
  dryRun?: boolean;
  /** The file's header, when the rows come from a file: checked for the columns a row needs. */
  header?: string[];
  /** Records each created or updated case (the HTTP layer adds who and from where). */
  audit?: AuditSink;
}

interface ImportContext {
  principal: Principal;
  definition: Definition<CaseTypeContent>;
  config: CaseImportConfig;
  dryRun: boolean;
  audit?: AuditSink;
  /** The column that fills the key field. */
  keyColumn: string;
  users: Map<string, UserRecord | null>;
  keysSeen: Map<string, number>;
}

/** What a good row would store, before it is written. */
interface PlannedChange {
  existing: CaseRecord | null;
  key: string;
  data: Record<string, any>;
  people: CasePerson[];
  dataChanges: FieldChange[];
  personChanges: PersonChange[];
}

/** The notices of an imported person change: staged with the case write (followups/), so a crash cannot lose them. */
interface PersonChanges {
  record: CaseRecord;
  config: CaseImportConfig;
  changes: PersonChange[];
  /** What the run queued (the import's report shows it). */
  notified: QueuedNotice[];
}

interface PersonChangesPayload {
  caseId: string;
  /** The version the import wrote: the notices' ids name it. */
  version: number;
  caseType: string;
  caseTypeVersion: number;
  changes: PersonChange[];
}

export class CaseImporter {
  private readonly personChanged: FollowUpEvent<PersonChangesPayload, PersonChanges>;

  constructor(
    private readonly deps: {
      store: Store;
      definitions: DefinitionService;
      cases: CaseService;
      users: UserDirectory;
      validator: FormValidator;
      notifier: Notifier;
      clock: Clock;
      followUps: FollowUps;
    },
  ) {
    this.personChanged = deps.followUps.event('import.person-changed', async (payload): Promise<PersonChanges | null> => {
      const record = await deps.cases.cases.findOne({ _id: payload.caseId });
      const definition = await deps.definitions.get('caseType', payload.caseType, payload.caseTypeVersion);
      const config = (definition.content as CaseTypeContent).import as CaseImportConfig | undefined;
      return record && config ? { record: { ...record, version: payload.version }, config, changes: payload.changes, notified: [] } : null;
    });
    this.personChanged.on('notify', (changes) => this.notifyPersonChanges(changes));
  }

  /** The case type's import settings, if the principal may import into it. */
  async configFor(principal: Principal, caseTypeKey: string): Promise<{ definition: Definition<CaseTypeContent>; config: CaseImportConfig }> {
    const definition = (await this.deps.definitions.latest('caseType', caseTypeKey).catch(() => {
      throw new NotFoundError(`There is no case type "${caseTypeKey}".`);
    })) as Definition<CaseTypeContent>;
    const config = definition.content.import as CaseImportConfig | undefined;
    if (!config) throw new NotFoundError(`The ${definition.content.title} case type takes no imports (its definition has no "import" block).`);
    if (!hasAnyRole(principal, config.roles)) throw new ForbiddenError(`Only ${config.roles.join(', ')} may import ${definition.content.title} cases.`);
    return { definition, config };
  }

  async run(principal: Principal, caseTypeKey: string, rows: SourceRow[], options: ImportOptions = {}): Promise<ImportReport> {
    const { definition, config } = await this.configFor(principal, caseTypeKey);
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new BadRequestError(`An import takes at most ${MAX_IMPORT_ROWS} rows; split the file.`, [{ path: '/rows', message: `has ${rows.length} rows` }]);
    }
    const ignoredColumns = options.header ? this.checkHeader(config, options.header) : [];
    await this.deps.cases.cases.createIndex({ key: { caseType: 1, [fieldPath(config.key)]: 1 } });
    const context: ImportContext = {
      principal, definition, config, dryRun: !!options.dryRun, audit: options.audit,
      keyColumn: columnFor(config, config.key)!, users: new Map(), keysSeen: new Map(),
    };
    const reports: RowReport[] = [];
    await this.oneAtATime(definition.key, context.dryRun, async () => {
      for (const row of rows) reports.push(await this.importRow(context, row));
    });
    const totals: Record<RowOutcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
    for (const report of reports) totals[report.outcome]++;
    return { caseType: definition.key, dryRun: context.dryRun, totals, ignoredColumns, rows: reports };
  }

  /**
   * Runs the import of a case type while holding its lease in the store, so that two imports
   * of the same case type (on any engine node) never both create the case of one key.
   * A dry run stores nothing and needs no lease.
   */
  private async oneAtATime(caseType: string, dryRun: boolean, work: () => Promise<void>): Promise<void> {
    if (dryRun) return work();
    const leases = new Leases(this.deps.store, randomUUID(), this.deps.clock);
    const name = `case-import:${caseType}`;
    if (!(await leases.acquire(name, IMPORT_LEASE_MS))) {
      throw new ConflictError('Another import of this case type is running; import again when it has finished.');
    }
    try {
      await work();
    } finally {
      await leases.release(name);
    }
  }

  /** Refuses a file that lacks a column every row needs; answers the columns nothing reads. */
  private checkHeader(config: CaseImportConfig, header: string[]): string[] {
    const keyColumn = columnFor(config, config.key)!;
    const needed = [keyColumn, ...(config.only ? [config.only.column] : [])];
    const missing = needed.filter((column) => !header.includes(column));
    if (missing.length > 0) {
      throw new BadRequestError(`The file lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}`, missing.map((column) => ({ path: pointer('/header', column), message: 'is a column every row needs' })));
    }
    const read = new Set([...Object.keys(config.columns), ...Object.values(config.people ?? {}).map((p) => p.column), ...(config.only ? [config.only.column] : [])]);
    return header.filter((column) => !read.has(column));
  }

  private async importRow(context: ImportContext, row: SourceRow): Promise<RowReport> {
    const base = { row: row.row, ...(row.line !== undefined ? { line: row.line } : {}) };
    const gate = this.gateProblem(context.config, row.cells);
    if (gate) {
      const keyCell = (row.cells[context.keyColumn] ?? '').trim();
      return { ...base, ...(keyCell !== '' ? { key: keyCell } : {}), outcome: 'rejected', problems: [gate] };
    }
    const mapped = mapRow(context.config, context.definition.content.schema, row.cells);
    const keyValue = mapped.values.find((v) => `/data${v.path}` === context.config.key)?.value;
    const key = keyValue === undefined ? undefined : String(keyValue);
    const withKey = { ...base, ...(key !== undefined ? { key } : {}) };
    const problems = [...mapped.problems];
    if (key === undefined && !problems.some((p) => p.path === context.config.key)) {
      problems.push({ field: context.keyColumn, path: context.config.key, message: 'is required: it identifies the case' });
    }
    if (key !== undefined) {
      const earlier = context.keysSeen.get(key);
      if (earlier !== undefined) problems.push({ field: context.keyColumn, path: context.config.key, message: `"${key}" is also on row ${earlier}; a case is imported once per file` });
      else context.keysSeen.set(key, row.row);
    }
    const people = await this.resolvePeople(context, mapped);
    problems.push(...people.problems);
    if (problems.length > 0 || key === undefined) return { ...withKey, outcome: 'rejected', problems };

    const found = await this.deps.cases.cases.find({ caseType: context.definition.key, [fieldPath(context.config.key)]: keyValue }, { limit: 2 });
    if (found.length > 1) {
      return { ...withKey, outcome: 'rejected', problems: [{ field: context.keyColumn, path: context.config.key, message: `several cases have "${key}"; fix them by hand first` }] };
    }
    const plan = await this.plan(context, found[0] ?? null, key, mapped, people.holders);
    if ('problems' in plan) return { ...withKey, outcome: 'rejected', problems: plan.problems };
    const changed = [...plan.dataChanges.map((c) => `/data${c.path}`), ...plan.personChanges.map((c) => `/people/${c.role}`)];
    if (plan.existing && changed.length === 0) return { ...withKey, outcome: 'unchanged', caseId: plan.existing._id, caseNumber: plan.existing.number };
    if (context.dryRun) {
      return { ...withKey, outcome: plan.existing ? 'updated' : 'created', ...(plan.existing ? { caseId: plan.existing._id, caseNumber: plan.existing.number } : {}), changed };
    }
    return this.write(context, withKey, plan, changed);
  }

  /** The `only` rule: rows whose column holds another value are not for this case type. */
  private gateProblem(config: CaseImportConfig, cells: Record<string, string>): RowProblem | undefined {
    if (!config.only) return undefined;
    const value = (cells[config.only.column] ?? '').trim();
    if (config.only.in.includes(value)) return undefined;
    const accepted = config.only.in.map((v) => `"${v}"`).join(', ');
    return { field: config.only.column, message: value === '' ? `is empty; only rows with ${accepted} are imported` : `"${value}" is not imported; only rows with ${accepted} are` };
  }

  private async resolvePeople(context: ImportContext, mapped: MappedRow): Promise<{ holders: Map<string, UserRecord>; problems: RowProblem[] }> {
    const holders = new Map<string, UserRecord>();
    const problems: RowProblem[] = [];
    for (const person of mapped.people) {
      const rule = context.config.people![person.role];
      const email = person.email.toLowerCase();
      if (!context.users.has(email)) context.users.set(email, await this.deps.users.byEmail(email));
      const user = context.users.get(email);
      const at = { field: person.column, path: `/people/${person.role}` };
      if (!user) problems.push({ ...at, message: `no user has the e-mail "${person.email}"` });
      else if (!user.active) problems.push({ ...at, message: `the account of "${person.email}" is deactivated` });
      else if (rule.userRole && !user.roles.includes(rule.userRole)) problems.push({ ...at, message: `"${person.email}" does not hold the role ${rule.userRole}` });
      else holders.set(person.role, user);
    }
    return { holders, problems };
  }

  /** The case's data and people after the row, checked against the case type's schema. */
  private async plan(context: ImportContext, existing: CaseRecord | null, key: string, mapped: MappedRow, holders: Map<string, UserRecord>): Promise<PlannedChange | { problems: RowProblem[] }> {
    const definition = existing && existing.caseTypeVersion !== context.definition.version
      ? await this.deps.definitions.get('caseType', existing.caseType, existing.caseTypeVersion)
      : context.definition;
    const data: Record<string, any> = structuredClone(existing?.data ?? {});
    for (const value of mapped.values) setAt(data, value.path, value.value);
    const mode = context.config.validation === 'complete' ? 'submit' : 'draft';
    const schemaErrors = this.deps.validator.validate(`caseType:${definition.key}:${definition.version}`, (definition.content as CaseTypeContent).schema, data, mode);
    if (schemaErrors.length > 0) {
      return {
        problems: schemaErrors.map((e) => ({ field: columnFor(context.config, `/data${e.path}`) ?? '(no column)', path: `/data${e.path}`, message: e.message })),
      };
    }
    // The imported person takes the role's place on the case (replacing whoever held it).
    let people = existing ? existing.people.map((p) => ({ ...p })) : [];
    const personChanges: PersonChange[] = [];
    for (const [role, user] of holders) {
      const current = people.filter((p) => p.role === role);
      if (current.length === 1 && current[0].userId === user._id) continue;
      personChanges.push({ role, before: current[0]?.userId ?? null, after: user._id });
      const at = people.findIndex((p) => p.role === role);
      const others = people.filter((p) => p.role !== role);
      others.splice(at === -1 ? others.length : at, 0, { role, userId: user._id });
      people = others;
    }
    return { existing, key, data, people, dataChanges: diffFields(existing?.data ?? {}, data), personChanges };
  }

  private async write(context: ImportContext, base: Pick<RowReport, 'row' | 'line' | 'key'>, plan: PlannedChange, changed: string[]): Promise<RowReport> {
    const { cases, clock } = this.deps;
    const actor = context.principal.userId;
    let record: CaseRecord;
    let notified: QueuedNotice[] = [];
    if (!plan.existing) {
      record = await cases.insertChecked(context.definition, plan.data, plan.people, actor);
    } else {
      const notices = plan.personChanges.length > 0 ? this.personChanged.stage({
        caseId: plan.existing._id, version: plan.existing.version + 1,
        caseType: context.definition.key, caseTypeVersion: context.definition.version, changes: plan.personChanges,
      }) : null;
      const updated = await cases.write(
        { _id: plan.existing._id, version: plan.existing.version },
        { $set: { data: plan.data, people: plan.people, updatedAt: clock.now(), updatedBy: actor }, $inc: { version: 1 } },
        notices?.writes,
      );
      if (!updated) {
        return { ...base, outcome: 'rejected', caseId: plan.existing._id, problems: [{ field: '(row)', message: 'the case was changed by someone else during the import; import the row again' }] };
      }
      record = updated;
      if (notices) {
        const run: PersonChanges = { record: { ...record, version: plan.existing.version + 1 }, config: context.config, changes: plan.personChanges, notified: [] };
        await notices.run(run);
        notified = run.notified;
      }
    }
    await context.audit?.({
      action: plan.existing ? 'case.update' : 'case.create',
      entity: { type: 'case', id: record._id },
      caseId: record._id,
      changes: plan.dataChanges,
      details: { via: 'import', row: base.row, key: plan.key, ...(plan.personChanges.length > 0 ? { people: plan.personChanges } : {}) },
    });
    return {
      ...base, outcome: plan.existing ? 'updated' : 'created', caseId: record._id, caseNumber: record.number, changed,
      ...(notified.length > 0 ? { notified } : {}),
    };
  }

  /** For each replaced person with an `onPersonChange` rule, queues its notice to the holders of the roles it names. */
  private async notifyPersonChanges({ record, config, changes, notified: notices }: PersonChanges): Promise<void> {
    for (const change of changes) {
      const rule = config.onPersonChange?.[change.role];
      if (!rule || change.before === null || rule.exceptStatuses?.includes(record.status)) continue;
      if (!record.people.some((p) => rule.notify.includes(p.role))) continue;
      const [before, after] = await Promise.all([this.deps.users.byId(change.before), this.deps.users.byId(change.after)]);
      const notice = await this.deps.notifier.notify({
        id: `import:${record._id}:${record.version}:${change.role}`,
        template: rule.template,
        to: rule.notify.map((role) => `case:${role}`),
        cc: (rule.cc ?? []).map((role) => `case:${role}`),
        caseId: record._id,
        data: { caseNumber: record.number, role: change.role, previous: personView(change.before, before), current: personView(change.after, after) },
      });
      if (!notice) continue;
      const ids = (list: { userId?: string }[]) => list.flatMap((r) => (r.userId ? [r.userId] : []));
      notices.push({ template: rule.template, to: ids(notice.to), cc: ids(notice.cc) });
    }
  }
}

function personView(userId: string, user: UserRecord | null) {
  return { userId, name: user ? displayName(user) : null, email: user?.email ?? null };
}

/** `/data/a/b` -> `data.a.b`, the store's field path. */
function fieldPath(target: string): string {
  return parsePointer(target)!.join('.');
}
