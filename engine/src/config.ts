/** Engine configuration, read once from the environment with safe defaults. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAdminRules, type AccountAdminRule } from './auth/admin-scope.js';
import { readPeriodReviewRules, type PeriodReviewRule } from './reviews/period-reviews.js';
import type { MailConfig } from './auth/mailer.js';
import type { PasswordPolicy } from './auth/password-policy.js';

/** Passwords, lockout, reset links, rate limits and who administers which accounts. */
export interface AuthConfig {
  passwordPolicy: PasswordPolicy;
  /** Failed logins in a row that lock an account until an administrator unlocks it; 0 never locks. */
  maxFailedLogins: number;
  /** How long an e-mailed password reset link works. */
  resetLinkMinutes: number;
  /** Per API node, in memory: login failures, and forgot/reset requests, per client address and per account. */
  rateLimits: { windowSeconds: number; perAddress: number; perAccount: number };
  /** JSON file of the account administration rules (read at start; a missing file means none). */
  administrationFile: string;
  administration: AccountAdminRule[];
}

export interface EngineConfig {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri?: string;
  formsDir: string;
  processesDir: string;
  /** Built browser apps served as static files, each under its URL prefix (a missing folder is skipped). */
  webApps: { prefix: string; dir: string }[];
  /** JSON file of the period reviews (a month of a form's documents reviewed and submitted); a missing file means none. */
  periodReviewsFile: string;
  periodReviews: PeriodReviewRule[];
  /** Folder of report definition modules (engine/reports; its compiled copy when running the build). */
  reportsDir: string;
  /** JSON file of demo users and cases loaded into an empty store; unset to start empty. */
  demoDataFile?: string;
  /** Largest JSON body the API accepts, in bytes. */
  bodyLimit: number;
  /** Business calendar (time zone, weekend, holidays) for due dates and timers. */
  calendarFile: string;
  /** Fixed inboxes named by `inbox:<name>` recipient rules. */
  inboxesFile: string;
  /** Delivery of queued notifications over SMTP (mail.smtpUrl). */
  delivery: { pollSeconds: number; retryBaseSeconds: number; giveUpHours: number; adminRoles: string[] };
  /** Daily deletion of expired transient records (and, after `sentNotificationDays`, delivered notifications; 0 keeps them). */
  retention: { hour: number; sentNotificationDays: number };
  /** Port of the demo's local mail catcher (used when demo data is loaded and no SMTP_URL is set). */
  mailCatcherPort: number;
  /** Seconds between scans for due timers. */
  timerPollSeconds: number;
  /** Local time (HH:MM, business calendar's zone) of the daily deliverable reminders and overdue alerts. */
  reminderTime: string;
  /** Live process engines kept in memory at most (least recently used are dropped). */
  runtimeCacheSize: number;
  /** Roles that may search the audit trail. */
  auditRoles: string[];
  /** Roles that may publish definitions (forms, processes, lookups). */
  publisherRoles: string[];
  uploads: { maxBytes: number; allowedTypes: string[] };
  sessions: { idleMinutes: number; absoluteHours: number; cookieName: string; secureCookies: boolean };
  /** Where users reach the application; links in e-mails start with it. */
  publicUrl: string;
  mail: MailConfig;
  auth: AuthConfig;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
/** The build compiles engine/reports into engine/dist/report-definitions/reports; from source they are loaded as they are. */
const defaultReportsDir = path.basename(here) === 'dist' ? path.join(here, 'report-definitions', 'reports') : path.join(repoRoot, 'engine', 'reports');

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

function timeFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = (env[name] ?? '').trim() || fallback;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw)) throw new Error(`${name} must be a time of day written HH:MM (24-hour clock), got "${raw}"`);
  return raw;
}

function listFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string[] {
  return (env[name] ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const port = intFromEnv(env, 'PORT', 3000);
  const minClasses = intFromEnv(env, 'PASSWORD_MIN_CLASSES', 3);
  if (minClasses > 4) throw new Error(`PASSWORD_MIN_CLASSES must be between 0 and 4, got "${minClasses}"`);
  const periodReviewsFile = path.resolve(env.PERIOD_REVIEWS_FILE ?? path.join(repoRoot, 'forms', 'period-reviews.json'));
  const administrationFile = path.resolve(env.ACCOUNT_ADMIN_FILE ?? path.join(repoRoot, 'forms', 'account-administration.json'));
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? path.join(repoRoot, 'data')),
    mongodbUri: env.MONGODB_URI || undefined,
    formsDir: path.resolve(env.FORMS_DIR ?? path.join(repoRoot, 'forms')),
    processesDir: path.resolve(env.PROCESSES_DIR ?? path.join(repoRoot, 'processes')),
    webApps: [
      { prefix: '/designer/', dir: path.resolve(env.DESIGNER_DIR ?? path.join(repoRoot, 'designer', 'dist')) },
      { prefix: '/', dir: path.resolve(env.UI_DIR ?? path.join(repoRoot, 'runtime-ui', 'dist')) },
    ],
    periodReviewsFile,
    periodReviews: readPeriodReviewRules(periodReviewsFile),
    reportsDir: path.resolve(env.REPORTS_DIR ?? defaultReportsDir),
    demoDataFile: env.DEMO_DATA === 'none' ? undefined : path.resolve(env.DEMO_DATA ?? path.join(repoRoot, 'forms', 'demo', 'demo-data.json')),
    bodyLimit: intFromEnv(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    calendarFile: path.resolve(env.CALENDAR_FILE ?? path.join(repoRoot, 'processes', 'business-calendar.json')),
    inboxesFile: path.resolve(env.INBOXES_FILE ?? path.join(repoRoot, 'processes', 'inboxes.json')),
    delivery: {
      pollSeconds: intFromEnv(env, 'OUTBOX_POLL_SECONDS', 15),
      retryBaseSeconds: intFromEnv(env, 'OUTBOX_RETRY_SECONDS', 60),
      giveUpHours: intFromEnv(env, 'OUTBOX_GIVE_UP_HOURS', 48),
      adminRoles: listFromEnv(env, 'OUTBOX_ADMIN_ROLES', 'program-admin'),
    },
    mailCatcherPort: intFromEnv(env, 'MAIL_CATCHER_PORT', 2525),
    retention: { hour: intFromEnv(env, 'RETENTION_HOUR', 3), sentNotificationDays: intFromEnv(env, 'SENT_NOTIFICATION_DAYS', 180) },
    timerPollSeconds: intFromEnv(env, 'TIMER_POLL_SECONDS', 10),
    reminderTime: timeFromEnv(env, 'REMINDER_TIME', '07:00'),
    runtimeCacheSize: intFromEnv(env, 'RUNTIME_CACHE_SIZE', 2500),
    auditRoles: listFromEnv(env, 'AUDIT_ROLES', 'auditor'),
    publisherRoles: listFromEnv(env, 'PUBLISHER_ROLES', 'program-admin'),
    uploads: {
      maxBytes: intFromEnv(env, 'UPLOAD_MAX_BYTES', 20 * 1024 * 1024),
      allowedTypes: listFromEnv(env, 'UPLOAD_TYPES', 'application/pdf,image/jpeg,image/png,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    },
    sessions: {
      idleMinutes: intFromEnv(env, 'SESSION_IDLE_MINUTES', 30),
      absoluteHours: intFromEnv(env, 'SESSION_ABSOLUTE_HOURS', 12),
      cookieName: 'sid',
      secureCookies: env.SECURE_COOKIES === 'true',
    },
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    mail: { from: env.MAIL_FROM || 'no-reply@example.org', smtpUrl: env.SMTP_URL || undefined },
    auth: {
      passwordPolicy: {
        minLength: intFromEnv(env, 'PASSWORD_MIN_LENGTH', 12),
        minClasses,
        historySize: intFromEnv(env, 'PASSWORD_HISTORY', 5),
      },
      maxFailedLogins: intFromEnv(env, 'MAX_FAILED_LOGINS', 5),
      resetLinkMinutes: intFromEnv(env, 'RESET_LINK_MINUTES', 30),
      rateLimits: {
        windowSeconds: intFromEnv(env, 'RATE_LIMIT_WINDOW_SECONDS', 60),
        perAddress: intFromEnv(env, 'RATE_LIMIT_PER_ADDRESS', 10),
        perAccount: intFromEnv(env, 'RATE_LIMIT_PER_ACCOUNT', 5),
      },
      administrationFile,
      administration: readAdminRules(administrationFile),
    },
  };
}
