/**
 * Documents: form submissions on a case, pinned to the form version they were created
 * with. Drafts may lack required fields; submit needs the whole schema and a signature;
 * a submitted document is read-only until a process reopens it.
 */
import type { Clock } from '../clock.js';
import type { Principal } from '../auth/principal.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { FollowUpEvent, FollowUpHandle, FollowUps } from '../followups/follow-ups.js';
import { WriteConflictError } from '../store/errors.js';
import type { BatchWrite, Collection, Store } from '../store/types.js';
import type { CaseService } from './case-service.js';
import type { DefinitionService, FormContent } from '../definitions/index.js';
import type { FormValidator, ValidationMode } from './form-validator.js';
import { getAt, setAt } from '../json-pointer.js';
import { applyComputed, type ComputeEvaluator } from './computed-fields.js';

export type DocumentStage = 'draft' | 'submitted';

export interface Signature {
  signerId: string;
  signerName: string;
  signedAt: Date;
}

function withoutSignature({ signature: _signed, ...rest }: DocumentRecord): DocumentRecord {
  return rest;
}

/** A change of a document for another's atomic batch: its writes, the document as they leave it, and what to run once they are stored. */
export interface StagedDocumentChange {
  writes: BatchWrite[];
  after: DocumentRecord;
  afterCommit?: () => Promise<DocumentRecord | null>;
}

export interface DocumentRecord {
  _id: string;
  caseId: string;
  form: string;
  formVersion: number;
  stage: DocumentStage;
  /** A label processes may set (e.g. awaiting an approval); starts as the stage's default. */
  status: string;
  data: Record<string, any>;
  signature?: Signature;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  submittedAt?: Date;
  version: number;
}

export const DEFAULT_STATUS: Record<DocumentStage, string> = { draft: 'In Progress', submitted: 'Submitted' };

function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Called after a document is submitted (e.g. to start the process its form names). The call is
 * journalled with the submit (followups/): after a crash it is replayed with the document as it
 * is then, so it must be idempotent, or save `followUp.done` with work that must not happen twice.
 */
export type SubmittedListener = (doc: DocumentRecord, form: FormContent, by: Pick<Principal, 'userId'>, followUp: FollowUpHandle) => Promise<void>;
export type ReopenedListener = (doc: DocumentRecord, followUp: FollowUpHandle) => Promise<void>;

interface Submitted {
  doc: DocumentRecord;
  form: FormContent;
  by: Pick<Principal, 'userId'>;
}

export class DocumentService {
  readonly documents: Collection<DocumentRecord>;
  private readonly submittedEvent: FollowUpEvent<{ documentId: string; by: string }, Submitted>;
  private readonly reopenedEvent: FollowUpEvent<{ documentId: string }, DocumentRecord>;

  constructor(
    private readonly store: Store,
    private readonly definitions: DefinitionService,
    private readonly cases: CaseService,
    private readonly validator: FormValidator,
    private readonly clock: Clock,
    followUps: FollowUps,
    /** Evaluates the FEEL of a form's `computed` fields; without it, computed fields are left as sent. */
    private readonly computeWith?: ComputeEvaluator,
  ) {
    this.documents = store.collection<DocumentRecord>('documents');
    this.submittedEvent = followUps.event('document.submitted', async ({ documentId, by }) => {
      const doc = await this.documents.findOne({ _id: documentId });
      return doc ? { doc, form: await this.formOf(doc), by: { userId: by } } : null;
    });
    this.reopenedEvent = followUps.event('document.reopened', ({ documentId }) => this.documents.findOne({ _id: documentId }));
  }

  async init(): Promise<void> {
    await this.documents.createIndex({ key: { caseId: 1 } });
  }

  /** Adds work done after every submit, in the order added; `kind` names its follow-up records in the store. */
  onSubmitted(kind: string, listener: SubmittedListener): void {
    this.submittedEvent.on(kind, ({ doc, form, by }, followUp) => listener(doc, form, by, followUp));
  }

  /** Called after a submitted document was made editable again (it no longer counts as submitted); journalled likewise. */
  onReopened(kind: string, listener: ReopenedListener): void {
    this.reopenedEvent.on(kind, listener);
  }

  private async formOf(doc: Pick<DocumentRecord, 'form' | 'formVersion'>): Promise<FormContent> {
    return (await this.definitions.get('form', doc.form, doc.formVersion)).content as FormContent;
  }

  private check(doc: Pick<DocumentRecord, 'form' | 'formVersion'>, form: FormContent, data: unknown, mode: ValidationMode): void {
    const errors = this.validator
      .validate(`form:${doc.form}:${doc.formVersion}`, form.schema, data, mode)
      .map((e) => ({ path: `/data${e.path}`, message: e.message }));
    if (errors.length > 0) {
      throw new ValidationError(mode === 'submit' ? `The ${form.title} cannot be submitted yet` : `The ${form.title} has problems to fix`, errors);
    }
  }

  /** The data with the form's computed fields written; on submit, a field that cannot be computed is refused. */
  private compute(form: FormContent, data: Record<string, any>, mode: ValidationMode): Record<string, any> {
    if (!form.computed || !this.computeWith) return data;
    const { data: computed, failures } = applyComputed(form.computed, data, this.computeWith);
    if (mode === 'submit' && failures.length > 0) {
      throw new ValidationError(`The ${form.title} cannot be submitted yet`, failures.map((f) => ({
        path: `/data${f.path}`,
        message: `${f.path} could not be computed: ${f.message}`,
      })));
    }
    return computed;
  }

  /** Starts a draft of the latest version of `formKey` on a case the principal can see, prefilled from the case, with its computed fields. */
  async create(principal: Principal, caseId: string, formKey: string): Promise<DocumentRecord> {
    const caseRecord = await this.cases.get(principal, caseId);
    await this.cases.assertMay(principal, caseRecord, `createDocument:${formKey}`);
    const definition = await this.definitions.latest('form', formKey).catch(() => {
      throw new ValidationError('Unknown form', [{ path: '/form', message: `there is no form "${formKey}"` }]);
    });
    const form = definition.content as FormContent;
    const prefilled: Record<string, any> = {};
    for (const [target, source] of Object.entries(form.prefill ?? {})) {
      const value = getAt(caseRecord, source);
      if (value !== undefined) setAt(prefilled, target, structuredClone(value));
    }
    const data = this.compute(form, prefilled, 'draft');
    const now = this.clock.now();
    const record: Omit<DocumentRecord, '_id'> = {
      caseId,
      form: definition.key,
      formVersion: definition.version,
      stage: 'draft',
      status: DEFAULT_STATUS.draft,
      data,
      createdAt: now,
      createdBy: principal.userId,
      updatedAt: now,
      updatedBy: principal.userId,
      version: 1,
    };
    const { insertedId } = await this.documents.insertOne(record as DocumentRecord);
    return { ...record, _id: insertedId };
  }

  /** A document on a case the principal can see; NotFound otherwise. */
  async get(principal: Principal, id: string): Promise<DocumentRecord> {
    return (await this.withCase(principal, id)).doc;
  }

  private async withCase(principal: Principal, id: string) {
    const doc = await this.documents.findOne({ _id: id });
    if (!doc) throw new NotFoundError(`No document ${id}`);
    const caseRecord = await this.cases.get(principal, doc.caseId).catch(() => {
      throw new NotFoundError(`No document ${id}`);
    });
    return { doc, caseRecord };
  }

  /** A document the principal may change (their roles may edit documents of its form). */
  private async editable(principal: Principal, id: string): Promise<DocumentRecord> {
    const { doc, caseRecord } = await this.withCase(principal, id);
    await this.cases.assertMay(principal, caseRecord, `editDocument:${doc.form}`);
    return doc;
  }

  /** Whether the principal may change the document now: it is a draft and their roles may edit its form. */
  async mayEdit(principal: Principal, doc: DocumentRecord): Promise<boolean> {
    if (doc.stage !== 'draft') return false;
    const { caseRecord } = await this.withCase(principal, doc._id);
    return this.cases.assertMay(principal, caseRecord, `editDocument:${doc.form}`).then(() => true, () => false);
  }

  async listForCase(principal: Principal, caseId: string): Promise<DocumentRecord[]> {
    await this.cases.get(principal, caseId);
    return this.documents.find({ caseId }, { sort: { createdAt: 1 }, projection: { data: 0 } });
  }

  /** Writes `set` if the document is still at `expectedVersion`, with `alsoWrite` in the same batch. */
  private async writeIfUnchanged(doc: DocumentRecord, expectedVersion: number, set: Partial<DocumentRecord>, alsoWrite: BatchWrite[] = []): Promise<DocumentRecord> {
    let updated: DocumentRecord | null = null;
    try {
      await this.store.writeAtomically([{
        collection: this.documents.name,
        updateOne: { filter: { _id: doc._id, version: expectedVersion, stage: doc.stage }, update: { $set: set, $inc: { version: 1 } }, mustMatch: true },
      }, ...alsoWrite]);
      // The stored document was `doc` (same version), so this is what the write left.
      updated = { ...doc, ...set, version: expectedVersion + 1 };
    } catch (error) {
      if (!(error instanceof WriteConflictError && error.index === 0)) throw error;
    }
    if (!updated) {
      const latest = await this.documents.findOne({ _id: doc._id });
      if (latest?.stage === 'submitted') throw new ConflictError('This document has been submitted and is read-only.');
      throw new ConflictError(`This document was changed at ${latest?.updatedAt.toISOString()} since you opened it; reload it to see the changes.`);
    }
    return updated;
  }

  private assertEditable(doc: DocumentRecord, expectedVersion: number): void {
    if (doc.stage === 'submitted') throw new ConflictError('This document has been submitted and is read-only.');
    if (doc.version !== expectedVersion) {
      throw new ConflictError(`This document was changed at ${doc.updatedAt.toISOString()} since you opened it; reload it to see the changes.`);
    }
  }

  /** Saves a draft: types and formats are checked, missing required fields are allowed. */
  async saveDraft(principal: Principal, id: string, data: Record<string, any>, expectedVersion: number): Promise<DocumentRecord> {
    const doc = await this.editable(principal, id);
    this.assertEditable(doc, expectedVersion);
    const form = await this.formOf(doc);
    const computed = this.compute(form, data, 'draft');
    this.check(doc, form, computed, 'draft');
    return this.writeIfUnchanged(doc, expectedVersion, { data: computed, updatedAt: this.clock.now(), updatedBy: principal.userId });
  }

  /**
   * Submits: the whole schema must pass and the signer types their own name; the server
   * records who signed and when. The document is read-only afterwards.
   */
  async submit(
    principal: Principal,
    id: string,
    input: { data?: Record<string, any>; signatureName: string; expectedVersion: number },
  ): Promise<DocumentRecord> {
    const doc = await this.editable(principal, id);
    this.assertEditable(doc, input.expectedVersion);
    const form = await this.formOf(doc);
    let data = input.data ?? doc.data;
    const signatureErrors = sameName(input.signatureName, principal.name)
      ? []
      : [{ path: '/signature/name', message: `To sign, type your name as it appears on your account (${principal.name}).` }];
    try {
      data = this.compute(form, data, 'submit');
      this.check(doc, form, data, 'submit');
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(error.message, [...error.errors, ...signatureErrors]);
      throw error;
    }
    if (signatureErrors.length > 0) throw new ValidationError('The document is not signed', signatureErrors);
    const now = this.clock.now();
    const followUps = this.submittedEvent.stage({ documentId: doc._id, by: principal.userId });
    const submitted = await this.writeIfUnchanged(doc, input.expectedVersion, {
      data,
      stage: 'submitted',
      status: DEFAULT_STATUS.submitted,
      signature: { signerId: principal.userId, signerName: principal.name, signedAt: now },
      submittedAt: now,
      updatedAt: now,
      updatedBy: principal.userId,
    }, followUps.writes);
    await followUps.run({ doc: submitted, form, by: principal });
    // The answer shows what the listeners' processes made of it (e.g. a status such as "Pending Approval").
    return (await this.documents.findOne({ _id: submitted._id })) ?? submitted;
  }

  /** Makes a submitted document editable again (a process step does this, e.g. after a rejection). */
  async reopen(id: string, actorId: string, status?: string): Promise<DocumentRecord> {
    const notSubmitted = () => new ConflictError(`Document ${id} is not submitted, so it cannot be reopened.`);
    const current = await this.documents.findOne({ _id: id });
    if (current?.stage !== 'submitted') throw notSubmitted();
    const change = this.stagedReopen(current, actorId, status);
    try {
      await this.store.writeAtomically(change.writes);
    } catch (error) {
      if (error instanceof WriteConflictError && error.index === 0) throw notSubmitted();
      throw error;
    }
    const reopened = await change.afterCommit();
    if (!reopened) throw notSubmitted();
    return reopened;
  }

  /**
   * Reopening a submitted document, for another's atomic batch (a process step's): the writes
   * (refused unless the document is still submitted), and what to run once the batch is stored
   * (the reopened follow-ups; resolves with the document as stored).
   */
  stagedReopen(current: DocumentRecord, actorId: string, status?: string): Required<StagedDocumentChange> {
    const id = current._id;
    const followUps = this.reopenedEvent.stage({ documentId: id });
    const set = { stage: 'draft' as const, status: status ?? DEFAULT_STATUS.draft, updatedAt: this.clock.now(), updatedBy: actorId };
    return {
      writes: [{
        collection: this.documents.name,
        updateOne: { filter: { _id: id, stage: 'submitted' }, update: { $set: set, $unset: { signature: '' }, $inc: { version: 1 } }, mustMatch: true },
      }, ...followUps.writes],
      after: { ...withoutSignature(current), ...set, version: current.version + 1 },
      afterCommit: async () => {
        const reopened = await this.documents.findOne({ _id: id });
        if (reopened) await followUps.run(reopened);
        return reopened;
      },
    };
  }

  /** Sets the document's status label, for a process step's atomic batch; the document must exist. */
  stagedStatus(current: DocumentRecord, status: string, actorId: string): StagedDocumentChange {
    const set = { status, updatedAt: this.clock.now(), updatedBy: actorId };
    return {
      writes: [{ collection: this.documents.name, updateOne: { filter: { _id: current._id }, update: { $set: set, $inc: { version: 1 } }, mustMatch: true } }],
      after: { ...current, ...set, version: current.version + 1 },
    };
  }
}
