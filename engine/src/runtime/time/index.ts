/** The runtime's time and expression layer: clocks, business calendar, FEEL and timer due times. */
export { TestClock } from './test-clock.js';
export {
  BusinessCalendar,
  MAX_BUSINESS_DAYS,
  validateCalendarConfig,
  type BusinessCalendarConfig,
  type BusinessCalendarConfig as CalendarConfig,
} from './calendar.js';
export type { LocalDate, WallTime } from './local-date.js';
export { isValidTimeZone } from './zone.js';
export { parseIsoDuration, addIsoDuration, type IsoDuration } from './duration.js';
export {
  FeelError,
  checkFeelSyntax,
  checkUnaryTestSyntax,
  evaluateFeel,
  evaluateUnaryTest,
  isFeelExpression,
  resolveValue,
  type FeelEnv,
  type FeelRangeValue,
  type FeelValue,
} from './feel.js';
export { EXTRA_FUNCTION_NAMES } from './feel-functions.js';
export { computeDue, isValidTimerValue, timerValueError, type DueSpec, type DueTime } from './due-time.js';
export { TIMER_TYPES, TimerSpecError, dueTimerType, type TimerType } from './timer-values.js';
