import { describe, expect, it } from 'vitest';
import { dateFormatError, readDate } from '../../src/imports/date-format.js';

describe('date layouts of external extracts', () => {
  it('reads month/day/year layouts into ISO dates', () => {
    expect(readDate('MM/DD/YYYY', '05/14/2011')).toBe('2011-05-14');
    expect(readDate('M/D/YYYY', '1/9/2010')).toBe('2010-01-09');
    expect(readDate('M/D/YYYY', '12/31/2010')).toBe('2010-12-31');
    expect(readDate('DD.MM.YYYY', '29.02.2024')).toBe('2024-02-29');
    expect(readDate('YYYYMMDD', '20240301')).toBe('2024-03-01');
  });

  it('always accepts an ISO date, and refuses impossible or differently written dates', () => {
    expect(readDate('MM/DD/YYYY', '2011-05-14')).toBe('2011-05-14');
    expect(readDate('MM/DD/YYYY', '02/30/2011')).toBeUndefined();
    expect(readDate('MM/DD/YYYY', '13/01/2011')).toBeUndefined();
    expect(readDate('MM/DD/YYYY', '1/9/2010')).toBeUndefined();
    expect(readDate('DD.MM.YYYY', '29.02.2023')).toBeUndefined();
    expect(readDate('MM/DD/YYYY', '2011-02-30')).toBeUndefined();
    expect(readDate('MM/DD/YYYY', '05/14/2011 00:00')).toBeUndefined();
  });

  it('explains a layout that does not name year, month and day once each', () => {
    expect(dateFormatError('MM/DD/YYYY')).toBeUndefined();
    expect(dateFormatError('DD.MM')).toMatch(/year \(YYYY\), month \(MM or M\) and day \(DD or D\) once each/);
    expect(dateFormatError('MM/MM/YYYY')).toMatch(/once each/);
    expect(dateFormatError('MM/DD/YY')).toMatch(/letters or digits other than/);
  });
});
