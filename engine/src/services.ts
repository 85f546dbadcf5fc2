/** The engine's services, built once over one store and handed to the HTTP layer. */
import type { Clock } from './clock.js';
import type { EngineConfig } from './config.js';
import type { DefinitionService } from './definitions/index.js';
import type { VersionUsageQueries } from './definitions/version-usage.js';
import type { CaseFiles } from './documents/case-files.js';
import type { CaseService } from './documents/case-service.js';
import type { DocumentService } from './documents/document-service.js';
import type { SessionStore } from './auth/sessions.js';
import type { UserDirectory } from './auth/users.js';
import type { AccountAdministration } from './auth/accounts.js';
import type { Credentials } from './auth/credentials.js';
import type { OidcLogin } from './auth/oidc.js';
import type { Store } from './store/types.js';
import type { AuditLog } from './audit/audit-log.js';
import type { CaseImporter } from './imports/case-import.js';
import type { DeliveryWorker } from './notifications/delivery.js';
import type { RetentionJob } from './schedule/retention.js';
import type { MailCatcher } from './notifications/mail-catcher.js';
import type { Notifier } from './notifications/notifier.js';
import type { Outbox } from './notifications/outbox.js';
import type { FollowUps } from './followups/follow-ups.js';
import type { ProcessModels } from './runtime/process-models.js';
import type { InstanceMigration } from './runtime/instance-migration.js';
import type { ProcessRuntime } from './runtime/process-runtime.js';
import type { ServiceRegistry } from './runtime/services.js';
import type { TaskService } from './runtime/task-service.js';
import type { TaskChoices } from './runtime/task-choices.js';
import type { TimerScheduler } from './runtime/timer-scheduler.js';
import type { DeliverableService } from './deliverables/deliverable-service.js';
import type { DeliverableReminders } from './deliverables/deliverable-reminders.js';
import type { CalendarDefinition } from './schedule/calendar-definition.js';
import type { ReportService } from './reports/report-service.js';
import type { PeriodReviews } from './reviews/period-reviews.js';

export interface EngineServices {
  config: EngineConfig;
  clock: Clock;
  store: Store;
  users: UserDirectory;
  sessions: SessionStore;
  /** Passwords: sign-in, change, reset links, generated passwords. */
  credentials: Credentials;
  /** Account administration within each administrator's configured scope. */
  accounts: AccountAdministration;
  /** Single sign-on through an OpenID Connect provider; null when not configured. */
  oidc: OidcLogin | null;
  definitions: DefinitionService;
  cases: CaseService;
  documents: DocumentService;
  caseFiles: CaseFiles;
  models: ProcessModels;
  engineServices: ServiceRegistry;
  runtime: ProcessRuntime;
  tasks: TaskService;
  /** Moves running instances of one process version to a newer one (dry run, or all at once). */
  migrations: InstanceMigration;
  /** In-progress documents and running instances on older versions of a form or process. */
  versionUsage: VersionUsageQueries;
  /** The values a task's decisions may carry, resolved for its case. */
  taskChoices: TaskChoices;
  timerScheduler: TimerScheduler;
  audit: AuditLog;
  /** Queued notifications, sent by a delivery worker. */
  outbox: Outbox;
  /** The journal of work after committed writes, replayed after a crash. */
  followUps: FollowUps;
  notifier: Notifier;
  /** Deletes expired transient records once a day. */
  retention: RetentionJob;
  /** Sends queued notifications; null without an SMTP server configured. */
  delivery: DeliveryWorker | null;
  /** The demo's local mail catcher, when the start command runs one. */
  mailCatcher: MailCatcher | null;
  /** Rows of external extracts into cases, as each case type's `import` block says. */
  imports: CaseImporter;
  /** What each case owes and by when (its case type's `deliverables`), with alert and overdue status. */
  deliverables: DeliverableService;
  /** The daily deliverable reminders and overdue alerts (started by main.ts). */
  deliverableReminders: DeliverableReminders;
  /** The business calendar as a published definition (kind `calendar`, key `business`). */
  calendarDefinition: CalendarDefinition;
  /** Report definitions loaded from `reportsDir`, run with the caller's access scope. */
  reports: ReportService;
  /** Monthly reviews of a form's documents per author (the period reviews file), from running tallies. */
  periodReviews: PeriodReviews;
}
