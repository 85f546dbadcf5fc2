import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, readCsvRecords } from '../../src/imports/csv.js';

function syntaxError(text: string): CsvSyntaxError {
  try {
    parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a CsvSyntaxError');
}

describe('CSV reader (RFC 4180)', () => {
  it('reads a header and records ending in CRLF', () => {
    const table = parseCsv('Name,City\r\nAda,London\r\nGrace,New York\r\n');
    expect(table.header).toEqual(['Name', 'City']);
    expect(table.records).toEqual([
      { line: 2, cells: { Name: 'Ada', City: 'London' } },
      { line: 3, cells: { Name: 'Grace', City: 'New York' } },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and counts lines', () => {
    const table = parseCsv('a,b\n"x, y","say ""hi"""\n"line one\r\nline two",z\nlast,""\n');
    expect(table.records).toEqual([
      { line: 2, cells: { a: 'x, y', b: 'say "hi"' } },
      { line: 3, cells: { a: 'line one\r\nline two', b: 'z' } },
      { line: 5, cells: { a: 'last', b: '' } },
    ]);
  });

  it('drops a byte-order mark, accepts LF and a missing final line break, skips blank lines', () => {
    const table = parseCsv('\uFEFFa,b\n1,2\n\n3,4');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.records.map((r) => [r.line, r.cells.a, r.cells.b])).toEqual([[2, '1', '2'], [4, '3', '4']]);
  });

  it('keeps empty fields and a record of one quoted empty field', () => {
    expect(readCsvRecords(',,\n""\n').map((r) => r.fields)).toEqual([['', '', ''], ['']]);
  });

  it('refuses an unclosed quote, naming the line it opens on', () => {
    const error = syntaxError('a,b\n1,2\n3,"never closed\nmore\n');
    expect(error.line).toBe(3);
    expect(error.reason).toMatch(/never closed/);
  });

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    expect(syntaxError('a,b\n1,x"y\n').line).toBe(2);
    const after = syntaxError('a,b\n1,2\n"x"y,3\n');
    expect(after.line).toBe(3);
    expect(after.reason).toMatch(/after the closing quote/);
  });

  it('refuses records with a different number of fields than the header', () => {
    const error = syntaxError('a,b\n1,2\n1,2,3\n');
    expect(error.line).toBe(3);
    expect(error.reason).toBe('the record has 3 fields but the header has 2');
  });

  it('refuses an empty file, a blank header name and a repeated header name', () => {
    expect(syntaxError('').reason).toMatch(/empty/);
    expect(syntaxError('a,,c\n').reason).toMatch(/column 2/);
    expect(syntaxError('a,b,a\n').reason).toMatch(/"a" twice/);
  });
});
