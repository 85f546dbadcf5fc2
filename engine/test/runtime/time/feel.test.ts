import { describe, expect, it } from 'vitest';
import {
  checkFeelSyntax,
  checkUnaryTestSyntax,
  evaluateFeel,
  evaluateUnaryTest,
  resolveValue,
} from '../../../src/runtime/time/index.js';
import { env, feelError } from './fixtures.js';

const e = env('2031-11-21T20:00:00Z'); // Friday 12:00 in Los Angeles
const feel = (expression: string, context: Record<string, unknown> = {}) => evaluateFeel(expression, context, e);

describe('resolveValue', () => {
  it('evaluates "=" values as FEEL and keeps anything else as literal text', () => {
    expect(resolveValue('= 1 + 1', {}, e)).toBe(2);
    expect(resolveValue('=decision', { decision: 'approve' }, e)).toBe('approve');
    expect(resolveValue('\n  = 1 + 1\n', {}, e)).toBe(2); // blanks around an XML body
    expect(resolveValue('P14D', {}, e)).toBe('P14D');
    expect(resolveValue('decision = "approve"', {}, e)).toBe('decision = "approve"');
    expect(resolveValue('', {}, e)).toBe('');
  });
});

describe('evaluateFeel', () => {
  it('adds business days over a weekend and holidays', () => {
    // Friday 2031-11-21 + 7 business days skips two weekends and Thanksgiving (Thu 27, Fri 28).
    expect(resolveValue('= add business days(date(terminationDate), 7)', { terminationDate: '2031-11-21' }, e)).toBe('2031-12-04');
    expect(feel('add business days(date("2031-11-26"), 1)')).toBe('2031-12-01');
    expect(feel('add business days(date: date("2031-11-21"), days: -1)')).toBe('2031-11-20');
    expect(feel('add business days("2031-11-22", 0)')).toBe('2031-11-24');
    expect(feel('business days between(date("2031-11-21"), date("2031-12-04"))')).toBe(7);
    expect(feel('add business days(date and time("2031-11-22T07:30:00Z"), 1)')).toBe('2031-11-24'); // Fri 23:30 local
  });

  it('compares variables to give booleans', () => {
    expect(feel('decision = "approve"', { decision: 'approve' })).toBe(true);
    expect(feel('decision = "approve"', { decision: 'reject' })).toBe(false);
    expect(feel('decision = "approve"', {})).toBe(false); // unset variable is null, not an error
    expect(feel('amount > 5 and status != "closed"', { amount: 7, status: 'open' })).toBe(true);
    expect(feel('missing > 5', {})).toBe(null);
  });

  it('reads nested contexts and lists', () => {
    const context = { case: { data: { leadAgency: 'X', people: [{ role: 'a' }, { role: 'b' }] } }, roles: ['a', 'b'] };
    expect(feel('case.data.leadAgency = "X"', context)).toBe(true);
    expect(feel('case.data.leadAgency', context)).toBe('X');
    expect(feel('list contains(roles, "a")', context)).toBe(true);
    expect(feel('list contains(roles, "z")', context)).toBe(false);
    expect(feel('case.data.people[role = "b"][1].role', context)).toBe('b');
    expect(feel('count(case.data.people)', context)).toBe(2);
  });

  it('converts FEEL temporal results to plain JS values', () => {
    expect(feel('date("2031-03-08")')).toBe('2031-03-08');
    expect(feel('date("2031-01-31") + duration("P1M")')).toBe('2031-02-28');
    expect(feel('date and time("2031-03-08T08:00:00Z")')).toEqual(new Date('2031-03-08T08:00:00Z'));
    // Without a zone, a date-time is read in the calendar's zone.
    expect(feel('date and time("2031-03-08T08:00:00")')).toEqual(new Date('2031-03-08T16:00:00Z'));
    expect(feel('date and time("2031-03-08T08:00:00@Europe/Berlin")')).toEqual(new Date('2031-03-08T07:00:00Z'));
    expect(feel('date and time(date("2031-12-04"), time("17:00"))')).toEqual(new Date('2031-12-05T01:00:00Z'));
    expect(feel('duration("P14D")')).toBe('P14D');
    expect(feel('duration("PT36H")')).toBe('P1DT12H');
    expect(feel('duration("P1Y2M")')).toBe('P1Y2M');
    expect(feel('time("08:00")')).toBe('08:00:00');
    expect(feel('{due: date("2031-03-08"), items: [duration("PT2H"), 1, "x", true, null]}')).toEqual({
      due: '2031-03-08',
      items: ['PT2H', 1, 'x', true, null],
    });
    expect(feel('[1..10]')).toEqual({ start: 1, end: 10, startIncluded: true, endIncluded: true });
  });

  it('accepts JS Dates in the context as date-times', () => {
    const context = { assignedAt: new Date('2031-11-21T20:00:00Z') };
    expect(feel('assignedAt < date and time("2031-11-22T00:00:00Z")', context)).toBe(true);
    expect(feel('assignedAt + duration("P14D")', context)).toEqual(new Date('2031-12-05T20:00:00Z'));
    expect(feel('add business days(assignedAt, 1)', context)).toBe('2031-11-24');
    // Friday 23:30 in Los Angeles is already Saturday in UTC: date() gives the local date.
    const late = { assignedAt: new Date('2031-11-22T07:30:00Z') };
    expect(feel('date(assignedAt)', late)).toBe('2031-11-21');
    expect(feel('assignedAt', late)).toEqual(new Date('2031-11-22T07:30:00Z'));
    expect(feel('[x][1] = assignedAt', { ...late, x: new Date('2031-11-22T07:30:00Z') })).toBe(true);
  });

  it('takes today() and now() from the Clock in the calendar zone, not from the machine', () => {
    const late = env('2031-11-22T07:30:00Z'); // still Friday 23:30 in Los Angeles
    expect(evaluateFeel('today()', {}, late)).toBe('2031-11-21');
    expect(evaluateFeel('now()', {}, late)).toEqual(new Date('2031-11-22T07:30:00Z'));
    expect(evaluateFeel('now().hour', {}, late)).toBe(23);
    expect(evaluateFeel('date(now())', {}, late)).toBe('2031-11-21');
    late.clock.advance('PT1H');
    expect(evaluateFeel('today()', {}, late)).toBe('2031-11-22');
    expect(evaluateFeel('add business days(today(), 1)', {}, late)).toBe('2031-11-24');
    // A variable cannot hide the clock.
    expect(evaluateFeel('today()', { today: 'not a function' }, late)).toBe('2031-11-22');
  });

  it('keeps now() exact inside the repeated fall-back hour', () => {
    const second = env('2031-11-02T09:30:00Z'); // 01:30 PST, the second 01:30 of the night
    expect(evaluateFeel('now()', {}, second)).toEqual(new Date('2031-11-02T09:30:00Z'));
  });

  it('throws a FeelError with a plain reason for syntax errors', () => {
    const incomplete = feelError(() => feel('decision = '));
    expect(incomplete.kind).toBe('syntax');
    expect(incomplete.expression).toBe('decision = ');
    expect(incomplete.message).toBe('The expression "decision = " is not valid FEEL: it is incomplete, something is missing at the end.');
    expect(feelError(() => feel('1 +* 2')).reason).toBe('unexpected "*" at character 4');
    expect(feelError(() => resolveValue('=', {}, e)).reason).toBe('it is empty');
  });

  it('throws a FeelError for evaluation failures', () => {
    const unknown = feelError(() => feel('frobnicate(1)'));
    expect(unknown.kind).toBe('evaluation');
    expect(unknown.reason).toMatch(/Variable 'frobnicate' not found.*no function by that name/);
    expect(feelError(() => feel('date("2031-02-30")')).reason).toMatch(/not a valid date/);
    expect(feelError(() => feel('date(terminationDate)')).reason).toMatch(/Variable 'terminationDate' not found/);
    expect(feelError(() => feel('"a" + 1')).reason).toMatch(/Can't add/);
    expect(feelError(() => feel('add business days("someday", 1)')).reason).toBe('add business days: "someday" is not a date');
    expect(feelError(() => feel('add business days(date("2031-11-21"), 1.5)')).reason).toMatch(/whole number/);
    expect(feelError(() => feel('add business days(null, 1)')).reason).toMatch(/date is missing/);
    expect(feelError(() => feel('function(x) x')).reason).toMatch(/function, not a value/);
  });
});

describe('evaluateUnaryTest', () => {
  it('tests an input against FEEL unary tests', () => {
    expect(evaluateUnaryTest('"approve", "accept"', 'accept', {}, e)).toBe(true);
    expect(evaluateUnaryTest('"approve", "accept"', 'reject', {}, e)).toBe(false);
    expect(evaluateUnaryTest('> limit', 3, { limit: 5 }, e)).toBe(false);
    expect(evaluateUnaryTest('[1..10]', 3, {}, e)).toBe(true);
    expect(evaluateUnaryTest('-', 'anything', {}, e)).toBe(true);
    expect(evaluateUnaryTest('> 5', null, {}, e)).toBe(false); // a null input matches no test but '-'
  });
});

describe('checkFeelSyntax', () => {
  it('returns null for valid expressions, without evaluating them', () => {
    expect(checkFeelSyntax('decision = "approve"')).toBeNull();
    expect(checkFeelSyntax('= add business days(date(terminationDate), 7)')).toBeNull();
    expect(checkFeelSyntax('business days between(today(), date(x)) > 3')).toBeNull();
    expect(checkFeelSyntax('undefinedFunction(1)')).toBeNull(); // names are checked when run
  });

  it('returns the reason for invalid ones', () => {
    expect(checkFeelSyntax('decision = ')).toBe('it is incomplete, something is missing at the end');
    expect(checkFeelSyntax('1 +* 2')).toBe('unexpected "*" at character 4');
    expect(checkFeelSyntax('if x then 1')).toBe('it is incomplete, something is missing at the end');
    expect(checkFeelSyntax('')).toBe('it is empty');
    expect(checkFeelSyntax('decision = "approve')).toBe('the text in quotes at character 12 has no closing quote');
    expect(checkFeelSyntax('foo)')).toBe('unexpected ")" at character 4');
  });

  it('checks unary tests too', () => {
    expect(checkUnaryTestSyntax('"a", "b"')).toBeNull();
    expect(checkUnaryTestSyntax('> ')).not.toBeNull();
  });
});
