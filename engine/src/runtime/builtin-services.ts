/**
 * The engine services every deployment has. Each is idempotent for one service-task
 * execution, because a step may run again after a conflict with another node. What they change
 * (case status, data and people, the document's status and stage, notifications) is staged in
 * the step's batch: stored with the step or not at all, so a step that loses a race with another
 * node leaves nothing behind. Later services of the same step see those changes through working
 * copies of the case and document kept in the step's scope.
 */
import type { CaseChange, CaseRecord, CaseService } from '../documents/case-service.js';
import type { DocumentRecord, DocumentService, StagedDocumentChange } from '../documents/document-service.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { parsePointer } from '../json-pointer.js';
import type { Notifier } from '../notifications/notifier.js';
import { parseRules, type RecipientResolver } from '../notifications/recipients.js';
import type { RuntimeExpressions } from './process-runtime.js';
import { dueTimerType } from './time/index.js';
import type { ServiceContext, ServiceRegistry } from './services.js';

const ACTOR = 'process';

function text(inputs: Record<string, unknown>, name: string, required = true): string | undefined {
  const value = inputs[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new ValidationError(`The service needs "${name}"`, [{ path: `/${name}`, message: 'is required' }]);
    return undefined;
  }
  return String(value);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ValidationError(`This process has no ${what}`, [{ path: `/${what}`, message: 'is required by the service' }]);
  return value;
}

const CASE = 'builtin:case';
const DOCUMENT = 'builtin:document';

/** The step's working copy of its case: as stored when first read, with the step's staged changes (null when there is none). */
async function stepCase(ctx: ServiceContext, cases: CaseService): Promise<CaseRecord | null> {
  if (!ctx.caseId) return null;
  if (!ctx.scope.has(CASE)) ctx.scope.set(CASE, await cases.cases.findOne({ _id: ctx.caseId }));
  return ctx.scope.get(CASE) as CaseRecord | null;
}

/** The step's case, which the service needs. */
async function needCase(ctx: ServiceContext, cases: CaseService): Promise<CaseRecord> {
  const caseId = need(ctx.caseId, 'caseId');
  const record = await stepCase(ctx, cases);
  if (!record) throw new NotFoundError(`No case ${caseId}`);
  return record;
}

/** Stages a change of the step's case (with its follow-ups) and keeps the working copy in step with it. */
function stageCase(ctx: ServiceContext, cases: CaseService, { update, after }: CaseChange): void {
  const staged = cases.stagedWrite({ _id: after._id }, update);
  for (const write of staged.writes) ctx.stage(write);
  ctx.afterCommit(staged.afterCommit);
  ctx.scope.set(CASE, after);
}

/** The step's working copy of its document (null when it has none). */
async function stepDocument(ctx: ServiceContext, documents: DocumentService): Promise<DocumentRecord | null> {
  if (!ctx.documentId) return null;
  if (!ctx.scope.has(DOCUMENT)) ctx.scope.set(DOCUMENT, await documents.documents.findOne({ _id: ctx.documentId }));
  return ctx.scope.get(DOCUMENT) as DocumentRecord | null;
}

/** Stages a change of the step's document and keeps the working copy in step with it. */
function stageDocument(ctx: ServiceContext, staged: StagedDocumentChange): void {
  for (const write of staged.writes) ctx.stage(write);
  if (staged.afterCommit) ctx.afterCommit(staged.afterCommit);
  ctx.scope.set(DOCUMENT, staged.after);
}

export function registerBuiltinServices(
  registry: ServiceRegistry,
  deps: { cases: CaseService; documents: DocumentService; notifier: Notifier; resolver: RecipientResolver; expressions: RuntimeExpressions; now: () => Date },
): void {
  const { cases, documents, notifier, resolver, expressions } = deps;

  registry.register('setCaseStatus', async (ctx, inputs) => {
    const status = text(inputs, 'status')!;
    const current = await needCase(ctx, cases);
    if (current.status === status) return;
    stageCase(ctx, cases, await cases.statusChange(current, status, ACTOR));
  });

  /**
   * Sets one field of the case data: inputs `field` (a JSON pointer such as /advocacyAgency),
   * `value` and `required` ("true": an empty value is refused). The case data must still match
   * the case type's schema, so a value from a decision (an agency chosen) that the schema does
   * not allow is refused with the step, naming the field, and nothing is written.
   */
  registry.register('setCaseData', async (ctx, inputs) => {
    const field = text(inputs, 'field')!;
    const tokens = parsePointer(field.startsWith('/') ? field : `/${field}`) ?? [];
    if (tokens.length === 0 || tokens.some((t) => !/^[A-Za-z0-9_-]+$/.test(t))) {
      throw new ValidationError('Bad case field', [{ path: '/field', message: `"${field}" is not a field of the case data` }]);
    }
    const value = inputs.value ?? null;
    if (isTrue(inputs.required) && (value === null || value === '')) {
      throw new ValidationError(`A value for ${field} is required`, [{ path: `/data/${tokens.join('/')}`, message: 'is required' }]);
    }
    const current = await needCase(ctx, cases);
    stageCase(ctx, cases, await cases.dataFieldChange(current, tokens, value, ACTOR));
  });

  /**
   * Puts a person in a role on the case (inputs `role`, `userId`), once. The role must be one of
   * the case type's and the user an active account; `among` (recipient rules such as
   * `users:<role> where <attribute> = /data/<field>`) narrows who may be put there, so a user id
   * from a decision that names the wrong person is refused with the step.
   */
  registry.register('addCasePerson', async (ctx, inputs) => {
    const person = { role: text(inputs, 'role')!, userId: text(inputs, 'userId')! };
    const record = await needCase(ctx, cases);
    const roles = await cases.rolesOf(record);
    if (!roles.includes(person.role)) {
      throw new ValidationError('Unknown role', [{ path: '/role', message: `"${person.role}" is not a role on this kind of case (allowed: ${roles.join(', ')})` }]);
    }
    const among = inputs.among === undefined || inputs.among === null || inputs.among === ''
      ? [{ kind: 'user' as const, id: person.userId }]
      : parseRules(inputs.among, '/among').rules;
    const allowed = await resolver.resolve(among, record);
    if (!allowed.recipients.some((r) => r.userId === person.userId)) {
      throw new ValidationError(`This user cannot be the ${person.role} of this case`, [{
        path: '/userId',
        message: inputs.among ? `must be one of the users ${allowed.recipients.length === 0 ? '(none found) ' : ''}named by ${String(inputs.among)}` : 'no active user has this id',
      }]);
    }
    stageCase(ctx, cases, cases.personChange(record, person, ACTOR));
  }, (literals) => parseRules(literals.among, 'among').errors.map((e) => `the input "among": ${e.message}`));

  /**
   * Refuses the step unless `condition` (FEEL over the variables, `case` and `document`) is
   * true: the user's command is answered 422 with `message` (at `field`, default the
   * condition) and nothing of the step is saved. Put it before steps that write.
   */
  registry.register('check', async (_ctx, inputs) => {
    if (inputs.condition === true) return;
    const message = text(inputs, 'message', false) ?? 'A condition of the process is not met';
    throw new ValidationError(message, [{ path: text(inputs, 'field', false) ?? '/condition', message }]);
  }, (literals) => (literals.condition !== undefined ? ['the input "condition" must be a FEEL rule (start it with "=")'] : []));

  registry.register('setDocumentStatus', async (ctx, inputs) => {
    const documentId = need(ctx.documentId, 'documentId');
    const status = text(inputs, 'status')!;
    const doc = await stepDocument(ctx, documents);
    if (!doc) throw new NotFoundError(`No document ${documentId}`);
    stageDocument(ctx, documents.stagedStatus(doc, status, ACTOR));
  });

  /** Makes the process's document editable again (optionally with a status such as "Returned"). */
  registry.register('reopenDocument', async (ctx, inputs) => {
    need(ctx.documentId, 'documentId');
    const doc = await stepDocument(ctx, documents);
    if (doc?.stage !== 'submitted') return;
    stageDocument(ctx, documents.stagedReopen(doc, ACTOR, text(inputs, 'status', false)));
  });

  /** Computes a due date (`due`: ISO duration/date or FEEL) into the variable named `variable`. */
  registry.register('computeDueDate', async (_ctx, inputs) => {
    const value = text(inputs, 'due')!;
    const dueAt = expressions.dueAt({ timerType: dueTimerType(value), value, from: deps.now() });
    return { [text(inputs, 'variable')!]: dueAt.toISOString() };
  });

  /**
   * Queues a notification in the outbox as part of the step that causes it (saved with the
   * step or not at all); a delivery worker sends it. Keyed by the service-task execution, so a
   * repeated step queues nothing twice.
   */
  registry.register('queueNotification', async (ctx: ServiceContext, inputs) => {
    // Composed over the case and document as this step leaves them (a person it just put on the case is a recipient).
    const known = { case: await stepCase(ctx, cases), document: await stepDocument(ctx, documents) };
    ctx.stage(await notifier.queueWrite({
      id: `${ctx.instanceId}:${ctx.executionId}`,
      template: text(inputs, 'template')!,
      to: inputs.to,
      cc: inputs.cc,
      caseId: ctx.caseId ?? null,
      documentId: ctx.documentId ?? null,
      instanceId: ctx.instanceId,
      vars: { ...ctx.variables },
      data: inputs.data ?? null,
    }, known));
  }, (literals) => [
    ...(literals.template === undefined ? ['the input "template" names the notification template'] : []),
    ...notifier.checkRules(literals.to, 'to').map((e) => `the input "to": ${e.message}`),
    ...notifier.checkRules(literals.cc, 'cc').map((e) => `the input "cc": ${e.message}`),
  ]);
}
