/**
 * Composes a notification when the event that causes it happens: the template's latest
 * version rendered over the case, document and process variables, and the recipients resolved
 * from rules over the case. The result is an outbox record, queued in the same step.
 */
import type { DefinitionService } from '../definitions/index.js';
import { ValidationError, type FieldError } from '../errors.js';
import type { BatchWrite, Collection } from '../store/types.js';
import type { NewNotification, Outbox } from './outbox.js';
import { parseRules, type CaseView, type RecipientResolver } from './recipients.js';
import { renderTemplate, type TemplateContent } from './template.js';

export interface NotificationRequest {
  /** Idempotency key: what caused it (a service-task execution, an import row ...). */
  id: string;
  template: string;
  to: unknown;
  cc?: unknown;
  caseId?: string | null;
  documentId?: string | null;
  instanceId?: string | null;
  /** Process variables, as `vars` in the template. */
  vars?: Record<string, unknown>;
  /** Extra values, as `data` in the template. */
  data?: unknown;
}

/** The case and document as the caller holds them (a process step's, with its own changes), instead of as stored. */
export interface KnownRecords {
  case?: (CaseView & { _id: string }) | null;
  document?: NotifierDocument | null;
}

type NotifierDocument = { _id: string; form: string; formVersion?: number; status?: string; data?: unknown };

export interface NotifierDeps {
  definitions: DefinitionService;
  resolver: RecipientResolver;
  outbox: Outbox;
  cases: Collection<CaseView & { _id: string }>;
  documents: Collection<NotifierDocument>;
  /** Links in messages point at the record in the runtime UI under this address. */
  publicUrl: string;
  timeZone: string;
}

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Checks literal rules as a process or configuration states them (inboxes must exist). */
  checkRules(value: unknown, path: string): FieldError[] {
    const { rules, errors } = parseRules(value, path);
    for (const rule of rules) {
      if (rule.kind === 'inbox' && !this.deps.resolver.hasInbox(rule.name)) errors.push({ path, message: `there is no configured inbox "${rule.name}"` });
    }
    return errors;
  }

  async compose(request: NotificationRequest, known: KnownRecords = {}): Promise<NewNotification> {
    const problems = [...this.checkRules(request.to, '/to'), ...this.checkRules(request.cc, '/cc')];
    if (problems.length > 0) throw new ValidationError('The notification names recipients that cannot be found', problems);
    const template = await this.deps.definitions.latest('template', request.template).catch(() => null);
    if (!template) throw new ValidationError(`There is no notification template "${request.template}"`, [{ path: '/template', message: 'no published template has this key' }]);
    const record = !request.caseId ? null : known.case !== undefined ? known.case : await this.deps.cases.findOne({ _id: request.caseId });
    const document = !request.documentId ? null : known.document !== undefined ? known.document : await this.deps.documents.findOne({ _id: request.documentId });
    const formTitle = document ? (await this.deps.definitions.get('form', document.form, document.formVersion ?? 1).catch(() => null))?.content?.title : undefined;
    const link = record
      ? `${this.deps.publicUrl}/cases/${encodeURIComponent(record._id)}${document ? `/documents/${encodeURIComponent(document._id)}` : ''}`
      : this.deps.publicUrl;
    const context = {
      case: record ? { ...record, people: undefined } : {},
      document: document ? { ...document, title: formTitle ?? document.form } : {},
      vars: request.vars ?? {},
      data: request.data ?? {},
      link,
    };
    const message = renderTemplate(template.content as TemplateContent, context, { timeZone: this.deps.timeZone });
    const seen = new Set<string>();
    const to = await this.deps.resolver.resolve(parseRules(request.to, '/to').rules, record, seen);
    const cc = await this.deps.resolver.resolve(parseRules(request.cc, '/cc').rules, record, seen);
    return {
      _id: request.id,
      template: request.template,
      templateVersion: template.version,
      to: to.recipients,
      cc: cc.recipients,
      unresolved: [...to.unresolved, ...cc.unresolved],
      ...message,
      link,
      caseId: request.caseId ?? null,
      documentId: request.documentId ?? null,
      instanceId: request.instanceId ?? null,
    };
  }

  /** The write that queues the composed notice in a step's atomic batch. */
  async queueWrite(request: NotificationRequest, known: KnownRecords = {}): Promise<BatchWrite> {
    return this.deps.outbox.queueWrite(await this.compose(request, known));
  }

  /** Composes and queues the notice now; null when one with the same id was queued before. */
  async notify(request: NotificationRequest): Promise<NewNotification | null> {
    if (await this.deps.outbox.records.findOne({ _id: request.id }, { projection: { _id: 1 } })) return null;
    const notice = await this.compose(request);
    return (await this.deps.outbox.queue(notice)) ? notice : null;
  }
}
