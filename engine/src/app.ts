/**
 * Assembles the engine: opens the store, builds the services, publishes the definitions
 * found on disk and (optionally) seeds demo data. Used by main.ts and by tests.
 */
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import type { EngineConfig } from './config.js';
import { SessionStore } from './auth/sessions.js';
import { UserDirectory, displayName } from './auth/users.js';
import { AccountAdministration } from './auth/accounts.js';
import { Credentials } from './auth/credentials.js';
import { mailerFromConfig, type Mailer } from './auth/mailer.js';
import { OidcLogin, readOidcConfig, type OidcConfig } from './auth/oidc.js';
import { DefinitionService, loadDefinitionsFromDisk, lookupReferenceCheck, lookupVersionCheck } from './definitions/index.js';
import { VersionUsageQueries } from './definitions/version-usage.js';
import { FollowUps } from './followups/follow-ups.js';
import { CaseAccess } from './documents/case-access.js';
import { CaseFiles } from './documents/case-files.js';
import { CaseService } from './documents/case-service.js';
import { DocumentService } from './documents/document-service.js';
import { FormValidator } from './documents/form-validator.js';
import { buildHttpServer, type HttpOptions } from './http/server.js';
import type { EngineServices } from './services.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { parseBpmn } from './bpmn/moddle.js';
import { registerBuiltinServices } from './runtime/builtin-services.js';
import { createRuntimeExpressions, readCalendarConfig } from './runtime/expressions.js';
import { checkProcessModel } from './runtime/process-checks.js';
import { ProcessModels } from './runtime/process-models.js';
import { InstanceMigration } from './runtime/instance-migration.js';
import { ProcessRuntime } from './runtime/process-runtime.js';
import { ServiceRegistry } from './runtime/services.js';
import { TaskChoices } from './runtime/task-choices.js';
import { TaskService } from './runtime/task-service.js';
import { TimerScheduler } from './runtime/timer-scheduler.js';
import { BusinessCalendar, checkFeelSyntax, timerValueError } from './runtime/time/index.js';
import { CalendarDefinition } from './schedule/calendar-definition.js';
import { Leases } from './schedule/leases.js';
import { engineRetentionRules, RetentionJob } from './schedule/retention.js';
import { AuditLog } from './audit/audit-log.js';
import { CaseImporter } from './imports/case-import.js';
import { validateImportConfig } from './imports/import-config.js';
import nodemailer from 'nodemailer';
import { DEFAULT_DELIVERY, DeliveryWorker } from './notifications/delivery.js';
import { readInboxes } from './notifications/inboxes.js';
import type { MailCatcher } from './notifications/mail-catcher.js';
import { Notifier } from './notifications/notifier.js';
import { Outbox } from './notifications/outbox.js';
import { RecipientResolver } from './notifications/recipients.js';
import { deliverableNoticeProblems, validateDeliverables } from './deliverables/deliverable-config.js';
import { DeliverableService } from './deliverables/deliverable-service.js';
import { DeliverableReminders } from './deliverables/deliverable-reminders.js';
import { loadReportDefinitions } from './reports/report-loader.js';
import { ReportService } from './reports/report-service.js';
import { PeriodReviews } from './reviews/period-reviews.js';

/** How often (engine clock) a process command looks for a business calendar published on another node. */
export const CALENDAR_CHECK_MS = 60_000;

/** The BPMN message id a running instance receives when its reopened document is submitted again. */
export const RESUBMITTED_MESSAGE = 'documentResubmitted';

export interface Engine {
  services: EngineServices;
  http: FastifyInstance;
  close(): Promise<void>;
}

export interface EngineOptions extends HttpOptions {
  clock?: Clock;
  /** An already open store (another engine node in the same process, in tests); not closed by close(). */
  store?: Store;
  /** Sends the engine's e-mail (default: SMTP from the configuration). */
  mailer?: Mailer;
  /** Single sign-on settings; null turns it off (default: the OIDC_* environment variables). */
  oidc?: OidcConfig | null;
  /** The demo's local mail catcher, shown at /demo/mail. */
  mailCatcher?: MailCatcher;
}

/** Loads forms and processes from disk; any file that fails to publish stops the start with its reasons. */
export async function publishDefinitionsFromDisk(services: EngineServices) {
  const report = await loadDefinitionsFromDisk(services.definitions, {
    formsDir: services.config.formsDir,
    processesDir: services.config.processesDir,
    publishedBy: 'system',
  });
  if (report.failed.length > 0) {
    const lines = report.failed.flatMap((f) => [`${f.file}:`, ...f.errors.map((e) => `  ${e.path || '/'}: ${e.message}`)]);
    throw new Error(`Some definitions could not be published:\n${lines.join('\n')}`);
  }
  return report;
}

export async function createEngine(config: EngineConfig, options: EngineOptions = {}): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const ownStore = !options.store;
  const store = options.store ?? (await openStore({ dataDir: config.dataDir, mongodbUri: config.mongodbUri }));
  try {
    const definitions = new DefinitionService(store);
    const validator = new FormValidator();
    const users = new UserDirectory(store);
    const sessions = new SessionStore(store, config.sessions, clock);
    const mailer = options.mailer ?? mailerFromConfig(config.mail);
    const credentials = new Credentials({ store, users, sessions, mailer, clock, auth: config.auth, publicUrl: config.publicUrl });
    const accounts = new AccountAdministration({ users, sessions, credentials, clock, rules: config.auth.administration });
    const oidcConfig = options.oidc === undefined ? readOidcConfig(process.env, { publicUrl: config.publicUrl }) : options.oidc;
    const oidc = oidcConfig ? new OidcLogin(oidcConfig, { store, users, clock }) : null;
    const caseAccess = new CaseAccess(definitions, users.users);
    // Work after a committed write (processes to start, deliverables and tallies to recompute) is journalled with it.
    const followUps = new FollowUps(store, clock);
    const cases = new CaseService(store, definitions, caseAccess, validator, clock, followUps);
    // The business calendar: the file seeds the `calendar` definition administrators publish (see calendar-definition.ts).
    const calendarConfig = await readCalendarConfig(config.calendarFile);
    const calendar = new BusinessCalendar(calendarConfig);
    const calendarDefinition = new CalendarDefinition(definitions, calendar, calendarConfig);
    definitions.addCheck('calendar', (content, context) => calendarDefinition.check(content, context.key));
    const refreshCalendar = () => calendarDefinition.refresh();
    definitions.onPublished((definition) => (definition.kind === 'calendar' ? refreshCalendar() : undefined));
    const expressions = createRuntimeExpressions(clock, calendar);
    const documents = new DocumentService(store, definitions, cases, validator, clock, followUps, (expression, context) => expressions.evaluate(expression, context));
    const caseFiles = new CaseFiles(store.files, cases, config.uploads);

    const engineServices = new ServiceRegistry();
    const outbox = new Outbox(store, () => clock.now());
    const resolver = new RecipientResolver(users.users, await readInboxes(config.inboxesFile));
    const notifier = new Notifier({
      definitions, outbox, resolver,
      cases: cases.cases, documents: documents.documents, publicUrl: config.publicUrl, timeZone: calendar.timeZone,
    });
    registerBuiltinServices(engineServices, { cases, documents, notifier, resolver, expressions, now: () => clock.now() });
    definitions.addCheck('process', (_content, context) =>
      checkProcessModel(context.model as Awaited<ReturnType<typeof parseBpmn>>['rootElement'], {
        serviceNames: () => engineServices.names(),
        serviceInputProblems: (name, literals) => engineServices.inputProblems(name, literals),
        feelSyntaxError: checkFeelSyntax,
        timerValueError,
      }));
    definitions.addCheck('form', lookupReferenceCheck(definitions));
    definitions.addCheck('caseType', lookupReferenceCheck(definitions));
    definitions.addCheck('lookup', lookupVersionCheck(definitions));
    const models = new ProcessModels(definitions);
    const runtime = new ProcessRuntime({
      store, models, services: engineServices, expressions, clock, cacheSize: config.runtimeCacheSize,
      // Due dates and timers follow the latest published calendar: at once on the node that
      // published it, within CALENDAR_CHECK_MS (engine clock) on the others.
      beforeCommand: () => calendarDefinition.refreshEvery(CALENDAR_CHECK_MS, clock.now()),
      contextFor: async ({ caseId, documentId }) => {
        const record = caseId ? await cases.cases.findOne({ _id: caseId }, { projection: { number: 1, status: 1, data: 1, people: 1, caseType: 1 } }) : null;
        const document = documentId ? await documents.documents.findOne({ _id: documentId }, { projection: { form: 1, formVersion: 1, stage: 1, status: 1, submittedAt: 1 } }) : null;
        return { ...(record ? { case: record } : {}), ...(document ? { document } : {}) };
      },
    });
    const tasks = new TaskService(store, runtime, models, expressions, {
      caseFor: (caseId) => cases.cases.findOne({ _id: caseId }),
      visibleCases: (principal, caseIds) => cases.visibleAmong(principal, caseIds),
      userName: async (userId) => {
        const user = await users.byId(userId);
        return user && user.active ? displayName(user) : null;
      },
    }, clock, config.publisherRoles);
    const migrations = new InstanceMigration(store, runtime, models, tasks.tasks, clock);
    const versionUsage = new VersionUsageQueries(definitions, documents.documents, runtime.instances);
    // A form may name the process its submitted documents go through (`onSubmit.process`);
    // resubmitting a document a process reopened continues that process instead: the instance
    // receives the message RESUBMITTED_MESSAGE (a receive task or message event waits for it).
    // Neither may happen twice: the step saves the follow-up as done in its own batch, so a replay
    // after a crash finds it done (and a second run's batch is refused) once the step committed.
    documents.onSubmitted('process', async (doc, form, by, followUp) => {
      const processKey = form.onSubmit?.process;
      if (!processKey || doc.stage !== 'submitted') return;
      const running = await runtime.instances.findOne({ documentId: doc._id, processKey, status: 'running' }, { projection: { _id: 1 } });
      if (running) await runtime.deliver(running._id, RESUBMITTED_MESSAGE, { resubmittedBy: by.userId }, by.userId, { alsoWrite: [followUp.done] });
      else await runtime.start({ processKey, caseId: doc.caseId, documentId: doc._id, startedBy: by.userId }, { alsoWrite: [followUp.done] });
    });
    // Deliverable deadlines follow every change of case data and every submitted document.
    const deliverables = new DeliverableService(store, definitions, cases, { clock, calendar, refreshCalendar });
    definitions.addCheck('caseType', (content) => {
      const problems = validateDeliverables(content);
      // Syntax first; then what needs the engine's configuration (inboxes named by the rules).
      return problems.length > 0 ? problems : deliverableNoticeProblems(content, (value, path) => notifier.checkRules(value, path));
    });
    cases.onChanged('deliverables', async (record) => {
      await deliverables.refresh(record);
    });
    documents.onSubmitted('deliverables', async (doc) => {
      await deliverables.refresh(doc.caseId);
    });
    const audit = new AuditLog(store, clock);
    const imports = new CaseImporter({ store, definitions, cases, users, validator, notifier, clock, followUps });
    definitions.addCheck('caseType', (content) => validateImportConfig(content));
    const leases = new Leases(store, runtime.nodeId, clock);
    const timerScheduler = new TimerScheduler(runtime, leases, clock);
    const deliverableReminders = new DeliverableReminders({ deliverables, cases, notifier, leases, clock, calendar, time: config.reminderTime, refreshCalendar });
    const retention = new RetentionJob(store, leases, clock,
      engineRetentionRules({ sentNotificationDays: config.retention.sentNotificationDays }), calendar.timeZone);
    const delivery = config.mail.smtpUrl
      ? new DeliveryWorker(outbox.records, nodemailer.createTransport(config.mail.smtpUrl), clock, {
        ...DEFAULT_DELIVERY,
        from: config.mail.from,
        messageIdDomain: new URL(config.publicUrl).hostname || 'localhost',
        retryBaseMs: config.delivery.retryBaseSeconds * 1000,
        giveUpAfterMs: config.delivery.giveUpHours * 3600_000,
      })
      : null;

    const taskChoices = new TaskChoices(tasks, definitions, cases.cases, resolver);
    // Reports see through the same access filter as every case list.
    const reports = new ReportService({
      store,
      definitions: await loadReportDefinitions(config.reportsDir),
      scopeOf: (principal) => cases.visibilityFilter(principal),
      context: () => ({ timeZone: calendar.timeZone, toInstant: (date) => calendar.toInstant(date), localDate: (instant) => calendar.localDate(instant), now: clock.now() }),
    });

    const periodReviews = new PeriodReviews(store, config.periodReviews, { cases, documents, users, clock });

    const services: EngineServices = {
      config, clock, store, users, sessions, definitions, cases, documents, caseFiles, models, engineServices, runtime, tasks, migrations, versionUsage, taskChoices, timerScheduler, audit,
      credentials, accounts, oidc, outbox, notifier, followUps, delivery, retention, mailCatcher: options.mailCatcher ?? null, imports, deliverables,
      deliverableReminders, calendarDefinition, reports, periodReviews,
    };
    for (const part of [definitions, users, sessions, credentials, followUps, cases, documents, outbox, deliverables, runtime, tasks, audit, reports, periodReviews]) await part.init();
    await calendarDefinition.init();
    await oidc?.init();
    // Task records are saved with each step; only instances of the earlier layout may lag behind.
    if (runtime.upgradedLegacy > 0) await tasks.reconcile();
    // What a crash cut off after its write committed (main.ts then replays what falls due on a tick).
    await followUps.replay({ all: true });
    const http = await buildHttpServer(services, options);
    return {
      services,
      http,
      async close() {
        await timerScheduler.stop();
        await followUps.stop();
        retention.stop();
        await deliverableReminders.stop();
        await delivery?.stop();
        await http.close();
        await credentials.idle();
        runtime.dropCache();
        if (ownStore) await store.close();
      },
    };
  } catch (error) {
    if (ownStore) await store.close();
    throw error;
  }
}
