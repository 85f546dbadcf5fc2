/** Engine configuration, read once from the environment with safe defaults. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EngineConfig {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri?: string;
  formsDir: string;
  processesDir: string;
  /** JSON file of demo users and cases loaded into an empty store; unset to start empty. */
  demoDataFile?: string;
  /** Largest JSON body the API accepts, in bytes. */
  bodyLimit: number;
  /** Business calendar (time zone, weekend, holidays) for due dates and timers. */
  calendarFile: string;
  /** Seconds between scans for due timers. */
  timerPollSeconds: number;
  /** Live process engines kept in memory at most (least recently used are dropped). */
  runtimeCacheSize: number;
  /** Roles that may search the audit trail. */
  auditRoles: string[];
  /** Roles that may publish definitions (forms, processes, lookups). */
  publisherRoles: string[];
  uploads: { maxBytes: number; allowedTypes: string[] };
  sessions: { idleMinutes: number; absoluteHours: number; cookieName: string; secureCookies: boolean };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  return {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? path.join(repoRoot, 'data')),
    mongodbUri: env.MONGODB_URI || undefined,
    formsDir: path.resolve(env.FORMS_DIR ?? path.join(repoRoot, 'forms')),
    processesDir: path.resolve(env.PROCESSES_DIR ?? path.join(repoRoot, 'processes')),
    demoDataFile: env.DEMO_DATA === 'none' ? undefined : path.resolve(env.DEMO_DATA ?? path.join(repoRoot, 'forms', 'demo', 'demo-data.json')),
    bodyLimit: intFromEnv(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    calendarFile: path.resolve(env.CALENDAR_FILE ?? path.join(repoRoot, 'processes', 'business-calendar.json')),
    timerPollSeconds: intFromEnv(env, 'TIMER_POLL_SECONDS', 10),
    runtimeCacheSize: intFromEnv(env, 'RUNTIME_CACHE_SIZE', 5000),
    auditRoles: (env.AUDIT_ROLES ?? 'auditor').split(',').map((r) => r.trim()).filter(Boolean),
    publisherRoles: (env.PUBLISHER_ROLES ?? 'program-admin').split(',').map((r) => r.trim()).filter(Boolean),
    uploads: {
      maxBytes: intFromEnv(env, 'UPLOAD_MAX_BYTES', 20 * 1024 * 1024),
      allowedTypes: (env.UPLOAD_TYPES ?? 'application/pdf,image/jpeg,image/png,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .split(',').map((t) => t.trim()).filter(Boolean),
    },
    sessions: {
      idleMinutes: intFromEnv(env, 'SESSION_IDLE_MINUTES', 30),
      absoluteHours: intFromEnv(env, 'SESSION_ABSOLUTE_HOURS', 12),
      cookieName: 'sid',
      secureCookies: env.SECURE_COOKIES === 'true',
    },
  };
}
