/**
 * The business calendar as a definition (kind `calendar`, key `business`), versioned like forms
 * so administrators can publish a new list of holidays or weekend days without a restart.
 *
 * - At start the calendar file (CALENDAR_FILE) is published as a new version unless some
 *   version already has the same content: the file seeds the definition and an edited file is
 *   published, while a version an administrator published later stays in force across restarts
 *   until the file itself changes.
 * - The engine holds one BusinessCalendar, shared by due dates, timers, deliverables and the
 *   reminder job; `refresh()` loads the latest version into it in place. Deliverable
 *   recomputation and each reminder run refresh first, so every node picks up a version
 *   published on another node before it next computes a deadline or sends reminders.
 * - The time zone is configuration of the deployment: a version with another zone is refused.
 */
import { contentHash, type DefinitionService } from '../definitions/index.js';
import type { FieldError } from '../errors.js';
import { isPlainObject } from '../json-pointer.js';
import type { BusinessCalendar, BusinessCalendarConfig } from '../runtime/time/index.js';

export const CALENDAR_KEY = 'business';

export class CalendarDefinition {
  private version = 0;
  /** When this node last looked for a newer version (engine clock, ms); 0 before the first look. */
  private checkedAt = 0;

  constructor(
    private readonly definitions: DefinitionService,
    readonly calendar: BusinessCalendar,
    private readonly fileConfig: BusinessCalendarConfig,
  ) {}

  /** The publish check for the `calendar` kind: the one key, and the running time zone. */
  check(content: unknown, key: string): FieldError[] {
    const problems: FieldError[] = [];
    if (key !== CALENDAR_KEY) problems.push({ path: 'key', message: `The business calendar is published under the key "${CALENDAR_KEY}"` });
    if (isPlainObject(content) && content.timeZone !== this.calendar.timeZone) {
      problems.push({ path: '/timeZone', message: `must stay ${this.calendar.timeZone} (the county time zone is set by the calendar file at start)` });
    }
    return problems;
  }

  /** Publishes the file if no version has its content, then uses the latest version. */
  async init(): Promise<void> {
    const versions = await this.definitions.versions('calendar', CALENDAR_KEY).catch(() => []);
    const hash = contentHash(JSON.parse(JSON.stringify(this.fileConfig)));
    if (!versions.some((v) => v.hash === hash)) await this.definitions.publish('calendar', CALENDAR_KEY, this.fileConfig, 'system');
    await this.refresh();
  }

  /** Loads the latest published version into the shared calendar when it is newer than the one in use. */
  async refresh(now?: Date): Promise<void> {
    if (now) this.checkedAt = now.getTime();
    const latest = await this.definitions.latest('calendar', CALENDAR_KEY).catch(() => null);
    if (!latest || latest.version === this.version) return;
    this.calendar.use(latest.content as BusinessCalendarConfig);
    this.version = latest.version;
  }

  /**
   * refresh(), unless this node looked less than `intervalMs` ago by the engine clock: for hot
   * paths (every process command), where a version published on another node may take that
   * long to arrive. The node that publishes uses it at once (the publish listener).
   */
  async refreshEvery(intervalMs: number, now: Date): Promise<void> {
    if (this.checkedAt !== 0 && Math.abs(now.getTime() - this.checkedAt) < intervalMs) return;
    await this.refresh(now);
  }

  /** The version in use (0 before init). */
  get versionInUse(): number {
    return this.version;
  }
}
