/** The runtime's expressions: FEEL (feelin) and due times over the business calendar and the Clock. */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import type { RuntimeExpressions } from './process-runtime.js';
import { BusinessCalendar, computeDue, resolveValue, type CalendarConfig } from './time/index.js';

export async function readCalendarConfig(file: string): Promise<CalendarConfig> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CalendarConfig;
  } catch (error) {
    throw new Error(`The business calendar ${file} cannot be read: ${(error as Error).message}`);
  }
}

export async function readCalendar(file: string): Promise<BusinessCalendar> {
  return new BusinessCalendar(await readCalendarConfig(file));
}

export function createRuntimeExpressions(clock: Clock, calendar: BusinessCalendar): RuntimeExpressions {
  const env = { clock, calendar };
  return {
    evaluate: (expression, context) => resolveValue(expression, context, env),
    dueAt: (spec) => computeDue(spec as Parameters<typeof computeDue>[0], env).dueAt,
  };
}
