/**
 * Cases: records of a configured case type, with a generated human number, a status
 * and people in roles. Every read goes through the caller's visibility filter.
 */
import type { Clock } from '../clock.js';
import type { Principal } from '../auth/principal.js';
import { hasAnyRole } from '../auth/principal.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../errors.js';
import type { FollowUpEvent, FollowUpHandle, FollowUps } from '../followups/follow-ups.js';
import { WriteConflictError } from '../store/errors.js';
import { newId } from '../store/ids.js';
import type { BatchWrite, Collection, Filter, Store, Update } from '../store/types.js';
import { visibilityIndexes, type CaseAccess } from './case-access.js';
import type { CaseTypeContent, Definition, DefinitionService } from '../definitions/index.js';
import type { FormValidator } from './form-validator.js';
import { listingIndexes, listingQuery, type ListingConfig } from './case-listing.js';

export interface CasePerson {
  role: string;
  userId: string;
}

/** A change of a case: the update to store, and the case as it leaves it. */
export interface CaseChange {
  update: Update;
  after: CaseRecord;
}

/** A case change staged in another's atomic batch: its writes, and what to run once the batch is stored. */
export interface StagedCaseChange {
  writes: BatchWrite[];
  afterCommit: () => Promise<CaseRecord | null>;
}

export interface CaseRecord {
  _id: string;
  caseType: string;
  caseTypeVersion: number;
  number: string;
  status: string;
  data: Record<string, any>;
  people: CasePerson[];
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  /** Optimistic concurrency: every change increments it. */
  version: number;
}

export interface NewCase {
  caseType: string;
  data: Record<string, any>;
  people?: CasePerson[];
}

export interface CaseQuery {
  caseType?: string;
  status?: string;
  number?: string;
  /** Only these cases (of those the caller may see). */
  ids?: string[];
  /** A sortable column key of the case type's listing, `-` in front for descending. */
  sort?: string;
  /** Values of the case type's listing search fields, by search key. */
  search?: Record<string, string>;
  skip?: number;
  limit?: number;
}

/**
 * Called after a case was stored with new data or a new status, by whichever path wrote it; the
 * call is journalled with the write (followups/), so after a crash it is replayed with the case as
 * it is then. It must be idempotent (a recomputation).
 */
export type CaseChangedListener = (caseRecord: CaseRecord, followUp: FollowUpHandle) => Promise<void>;

export class CaseService {
  readonly cases: Collection<CaseRecord>;
  private readonly counters: Collection<{ _id: string; seq: number }>;
  private readonly changedEvent: FollowUpEvent<{ caseId: string }, CaseRecord>;
  private readonly indexedListings = new Set<string>();
  private readonly indexedVisibility = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly definitions: DefinitionService,
    private readonly access: CaseAccess,
    private readonly validator: FormValidator,
    private readonly clock: Clock,
    followUps: FollowUps,
  ) {
    this.cases = store.collection<CaseRecord>('cases');
    this.counters = store.collection('counters');
    this.changedEvent = followUps.event('case.changed', ({ caseId }) => this.cases.findOne({ _id: caseId }));
  }

  async init(): Promise<void> {
    await this.cases.createIndex({ key: { number: 1 }, unique: true });
    await this.cases.createIndex({ key: { 'people.userId': 1 } });
    await this.cases.createIndex({ key: { caseType: 1, status: 1 } });
    await this.cases.createIndex({ key: { createdBy: 1 } });
    await this.indexVisibility();
  }

  /** Adds work done after every stored change of a case; `kind` names its follow-up records in the store. */
  onChanged(kind: string, listener: CaseChangedListener): void {
    this.changedEvent.on(kind, listener);
  }

  /**
   * Stores a change of a case together with the follow-ups of the `onChanged` listeners (one
   * atomic batch), then runs them. Every write of case data, people or status goes through here
   * or insertChecked, including imports and process services. `alsoWrite` joins the batch (e.g. the
   * caller's own follow-ups, run by the caller afterwards). Null when the filter matches nothing.
   */
  async write(filter: Filter & { _id: string }, update: Update, alsoWrite: BatchWrite[] = []): Promise<CaseRecord | null> {
    const change = this.stagedWrite(filter, update);
    try {
      await this.store.writeAtomically([...change.writes, ...alsoWrite]);
    } catch (error) {
      if (error instanceof WriteConflictError && error.index === 0) return null;
      throw error;
    }
    return change.afterCommit();
  }

  /**
   * A change of a case as write() makes it, for another's atomic batch (a process step's): the
   * writes (the case first, then its follow-ups), and what to run once the batch is stored (the
   * follow-ups; resolves with the case as stored).
   */
  stagedWrite(filter: Filter & { _id: string }, update: Update): StagedCaseChange {
    const followUps = this.changedEvent.stage({ caseId: filter._id });
    return {
      writes: [{ collection: this.cases.name, updateOne: { filter, update, mustMatch: true } }, ...followUps.writes],
      afterCommit: async () => {
        const record = await this.cases.findOne({ _id: filter._id });
        if (record) await followUps.run(record);
        return record;
      },
    };
  }

  private async nextNumber(numbering: CaseTypeContent['numbering']): Promise<string> {
    const counter = await this.counters.findOneAndUpdate(
      { _id: `case-number:${numbering.prefix}` },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    return `${numbering.prefix}${String(counter!.seq).padStart(numbering.digits, '0')}`;
  }

  private checkPeople(caseType: CaseTypeContent, people: CasePerson[]): FieldError[] {
    return people.flatMap((person, i) =>
      caseType.roles.includes(person.role)
        ? []
        : [{ path: `/people/${i}/role`, message: `"${person.role}" is not a role on this kind of case (allowed: ${caseType.roles.join(', ')})` }],
    );
  }

  /** Opens a case. Case data is checked for types and formats; required fields may come later. */
  async create(principal: Principal, input: NewCase): Promise<CaseRecord> {
    const definition = await this.definitions.latest('caseType', input.caseType).catch(() => {
      throw new ValidationError('Unknown case type', [{ path: '/caseType', message: `there is no case type "${input.caseType}"` }]);
    });
    const caseType = definition.content as CaseTypeContent;
    if (caseType.createRoles && !hasAnyRole(principal, caseType.createRoles)) {
      throw new ForbiddenError(`Only ${caseType.createRoles.join(', ')} may open a ${caseType.title}.`);
    }
    const people = input.people ?? [];
    const errors = [
      ...this.validator
        .validate(`caseType:${definition.key}:${definition.version}`, caseType.schema, input.data, 'draft')
        .map((e) => ({ path: `/data${e.path}`, message: e.message })),
      ...this.checkPeople(caseType, people),
    ];
    if (errors.length > 0) throw new ValidationError(`The ${caseType.title} has problems to fix`, errors);
    return this.insertChecked(definition, input.data, people, principal.userId);
  }

  /**
   * Stores a new case of a published case type version with a fresh number and the initial
   * status, for callers that checked the data, the people and the actor's right to open it.
   */
  async insertChecked(definition: Definition, data: Record<string, any>, people: CasePerson[], actorId: string): Promise<CaseRecord> {
    const caseType = definition.content as CaseTypeContent;
    const now = this.clock.now();
    const record: Omit<CaseRecord, '_id'> = {
      caseType: definition.key,
      caseTypeVersion: definition.version,
      number: await this.nextNumber(caseType.numbering),
      status: caseType.initialStatus,
      data,
      people,
      createdAt: now,
      createdBy: actorId,
      updatedAt: now,
      updatedBy: actorId,
      version: 1,
    };
    const created: CaseRecord = { ...record, _id: newId() };
    const followUps = this.changedEvent.stage({ caseId: created._id });
    await this.store.writeAtomically([{ collection: this.cases.name, insertOne: { document: created } }, ...followUps.writes]);
    await followUps.run(created);
    return created;
  }

  /** Refuses (403) an action the principal's roles may not do on a case they can see. */
  assertMay(principal: Principal, caseRecord: CaseRecord, action: string): Promise<void> {
    return this.access.assertMay(principal, caseRecord, action);
  }

  /** The store filter of the cases the principal may see (with the indexes it is planned through). */
  async visibilityFilter(principal: Principal): Promise<Filter> {
    await this.indexVisibility();
    return this.access.visibilityFilter(principal);
  }

  /** Those of the cases with these ids the principal may see, in any order. */
  async visibleAmong(principal: Principal, ids: string[]): Promise<CaseRecord[]> {
    const visible = await this.visibilityFilter(principal);
    // In lists of 100: each case read is tested against the whole $in list, so one long list costs its square.
    const lists = Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) => ids.slice(i * 100, i * 100 + 100));
    return (await Promise.all(lists.map((list) => this.cases.find({ $and: [{ _id: { $in: list } }, visible] })))).flat();
  }

  /** Makes the indexes each case type's visibility rules need (once per version), so scoped lists read few cases. */
  private async indexVisibility(): Promise<void> {
    for (const definition of await this.definitions.list('caseType')) {
      const tag = `${definition.key}:${definition.version}`;
      if (this.indexedVisibility.has(tag)) continue;
      for (const key of visibilityIndexes((definition.content as CaseTypeContent).visibility)) await this.cases.createIndex({ key });
      this.indexedVisibility.add(tag);
    }
  }

  /** The case if the principal may see it; otherwise NotFound, exactly as if it did not exist. */
  async get(principal: Principal, id: string): Promise<CaseRecord> {
    const visible = await this.access.visibilityFilter(principal);
    const found = await this.cases.findOne({ $and: [{ _id: id }, visible] });
    if (!found) throw new NotFoundError(`No case ${id}`);
    return found;
  }

  async list(principal: Principal, query: CaseQuery): Promise<{ items: CaseRecord[]; total: number }> {
    const criteria: Filter[] = [];
    let sort: Record<string, 1 | -1> = { createdAt: -1 };
    if (query.caseType) {
      criteria.push({ caseType: query.caseType });
      const caseType = await this.listingOf(query.caseType);
      const built = listingQuery(caseType.listing, caseType.statuses, { status: query.status, sort: query.sort, search: query.search ?? {} });
      criteria.push(...built.criteria);
      sort = built.sort;
      for (const filters of built.anyOf) {
        const found = await Promise.all(filters.map((f) => this.cases.find({ $and: [{ caseType: query.caseType }, f] }, { projection: { _id: 1 } })));
        criteria.push({ _id: { $in: [...new Set(found.flat().map((c) => c._id))] } });
      }
    } else {
      if (query.sort || Object.keys(query.search ?? {}).length > 0) {
        throw new BadRequestError('Say which case type to search', [{ path: '/caseType', message: 'is required to search or sort (the case type declares its search fields and columns)' }]);
      }
      if (query.status) criteria.push({ status: query.status });
    }
    if (query.number) criteria.push({ number: query.number });
    if (query.ids) criteria.push({ _id: { $in: query.ids } });
    const filter = { $and: [...criteria, await this.visibilityFilter(principal)] };
    const [items, total] = await Promise.all([
      this.cases.find(filter, { sort, skip: query.skip ?? 0, limit: query.limit ?? 50 }),
      this.cases.countDocuments(filter),
    ]);
    return { items, total };
  }

  /** The latest version of a case type, with the indexes its listing searches need (made once per version). */
  private async listingOf(key: string): Promise<CaseTypeContent & { listing?: ListingConfig }> {
    const definition = await this.definitions.latest('caseType', key).catch(() => {
      throw new BadRequestError('Unknown case type', [{ path: '/caseType', message: `there is no case type "${key}"` }]);
    });
    const caseType = definition.content as CaseTypeContent & { listing?: ListingConfig };
    const tag = `${key}:${definition.version}`;
    if (!this.indexedListings.has(tag)) {
      for (const index of listingIndexes(caseType.listing)) await this.cases.createIndex({ key: index });
      this.indexedListings.add(tag);
    }
    return caseType;
  }

  /**
   * Replaces the case data. Each top-level field that changes must be a part the caller's roles
   * may edit (`editCase:/<field>` or `editCase:*`); types and formats are checked, required
   * fields are not (a case fills up over time). Optimistic concurrency on `expectedVersion`.
   */
  async updateData(principal: Principal, id: string, data: Record<string, any>, expectedVersion: number): Promise<CaseRecord> {
    const current = await this.get(principal, id);
    const changed = [...new Set([...Object.keys(current.data), ...Object.keys(data)])]
      .filter((field) => JSON.stringify(current.data[field]) !== JSON.stringify(data[field]));
    for (const field of changed) await this.access.assertMay(principal, current, `editCase:/${field}`);
    const definition = await this.definitions.get('caseType', current.caseType, current.caseTypeVersion);
    const errors = this.validator
      .validate(`caseType:${definition.key}:${definition.version}`, (definition.content as CaseTypeContent).schema, data, 'draft')
      .map((e) => ({ path: `/data${e.path}`, message: e.message }));
    if (errors.length > 0) throw new ValidationError(`The ${(definition.content as CaseTypeContent).title} has problems to fix`, errors);
    if (current.version !== expectedVersion) throw new ConflictError(`This case was changed at ${current.updatedAt.toISOString()} since you opened it; reload it to see the changes.`);
    const updated = await this.write(
      { _id: id, version: expectedVersion },
      { $set: { data, updatedAt: this.clock.now(), updatedBy: principal.userId }, $inc: { version: 1 } },
    );
    if (!updated) throw new ConflictError('This case was changed by someone else meanwhile; reload it to see the changes.');
    return updated;
  }

  /**
   * Sets one field of the case data (a process step does this): the case data with the new
   * value must still match the case type's schema (types, formats, enums), or nothing is
   * written and the field is named. `tokens` are the field's path below `data`.
   */
  async setDataField(id: string, tokens: string[], value: unknown, actorId: string): Promise<void> {
    const current = await this.cases.findOne({ _id: id });
    if (!current) throw new NotFoundError(`No case ${id}`);
    const { update } = await this.dataFieldChange(current, tokens, value, actorId);
    await this.write({ _id: id }, update);
  }

  /** Sets one field of a case's data (refused unless the case type's schema allows the value there): the update and the case it leaves. */
  async dataFieldChange(current: CaseRecord, tokens: string[], value: unknown, actorId: string): Promise<CaseChange> {
    const definition = await this.definitions.get('caseType', current.caseType, current.caseTypeVersion);
    const caseType = definition.content as CaseTypeContent;
    const data = structuredClone(current.data ?? {});
    let parent: Record<string, any> = data;
    for (const token of tokens.slice(0, -1)) {
      if (parent[token] === null || typeof parent[token] !== 'object' || Array.isArray(parent[token])) parent[token] = {};
      parent = parent[token];
    }
    if (value === null || value === undefined) delete parent[tokens[tokens.length - 1]];
    else parent[tokens[tokens.length - 1]] = value;
    const pointer = `/data/${tokens.join('/')}`;
    const errors = this.validator
      .validate(`caseType:${definition.key}:${definition.version}`, caseType.schema, data, 'draft')
      .map((e) => ({ path: `/data${e.path}`, message: e.message }))
      // only this field's problems: the rest of the case data may still be filling up
      .filter((e) => e.path === pointer || e.path.startsWith(`${pointer}/`));
    if (errors.length > 0) throw new ValidationError(`The ${caseType.title} cannot take this value`, errors);
    const now = this.clock.now();
    const update = value === null || value === undefined
      ? { $unset: { [`data.${tokens.join('.')}`]: '' }, $set: { updatedAt: now, updatedBy: actorId } }
      : { $set: { [`data.${tokens.join('.')}`]: value, updatedAt: now, updatedBy: actorId } };
    return { update: { ...update, $inc: { version: 1 } }, after: { ...current, data, updatedAt: now, updatedBy: actorId, version: current.version + 1 } };
  }

  /** The roles a case's type defines (for steps that put people on it). */
  async rolesOf(record: Pick<CaseRecord, 'caseType' | 'caseTypeVersion'>): Promise<string[]> {
    return ((await this.definitions.get('caseType', record.caseType, record.caseTypeVersion)).content as CaseTypeContent).roles;
  }

  /** Puts a person in a role on a case, once: the update and the case it leaves. */
  personChange(current: CaseRecord, person: CasePerson, actorId: string): CaseChange {
    const now = this.clock.now();
    const present = current.people.some((p) => p.role === person.role && p.userId === person.userId);
    return {
      update: { $addToSet: { people: person }, $set: { updatedAt: now, updatedBy: actorId }, $inc: { version: 1 } },
      after: { ...current, people: present ? current.people : [...current.people, person], updatedAt: now, updatedBy: actorId, version: current.version + 1 },
    };
  }

  /** Sets the status (a process step does this); refuses a status the case type does not define. */
  async setStatus(id: string, status: string, actorId: string, expectedVersion?: number): Promise<CaseRecord> {
    const current = await this.cases.findOne({ _id: id });
    if (!current) throw new NotFoundError(`No case ${id}`);
    const { update } = await this.statusChange(current, status, actorId);
    const updated = await this.write({ _id: id, version: expectedVersion ?? current.version }, update);
    if (!updated) throw new ConflictError('The case was changed by someone else; reload it and try again.');
    return updated;
  }

  /** Sets a case's status (refused unless its case type defines it): the update and the case it leaves. */
  async statusChange(current: CaseRecord, status: string, actorId: string): Promise<CaseChange> {
    const caseType = (await this.definitions.get('caseType', current.caseType, current.caseTypeVersion)).content as CaseTypeContent;
    if (!caseType.statuses.includes(status)) {
      throw new ValidationError('Unknown status', [{ path: '/status', message: `"${status}" is not a status of ${caseType.title} (allowed: ${caseType.statuses.join(', ')})` }]);
    }
    const now = this.clock.now();
    return {
      update: { $set: { status, updatedAt: now, updatedBy: actorId }, $inc: { version: 1 } },
      after: { ...current, status, updatedAt: now, updatedBy: actorId, version: current.version + 1 },
    };
  }
}
