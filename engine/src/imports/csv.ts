/**
 * A small RFC 4180 CSV reader: comma-separated fields, records ending in CRLF (a bare LF or CR
 * is accepted too), fields in double quotes may hold commas, line breaks and doubled quotes
 * (`""` stands for one `"`). A leading UTF-8 byte-order mark is dropped, blank lines are
 * skipped, and the first record is the header. Anything else is malformed and refused with
 * the line it is on, so a broken extract never half-loads.
 */

export interface CsvRecord {
  /** The file line the record starts on (1 is the header's first line). */
  line: number;
  /** Header name → cell text. */
  cells: Record<string, string>;
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

interface RawRecord {
  line: number;
  fields: string[];
}

/** Splits the text into records of fields, without interpreting a header. */
export function readCsvRecords(text: string): RawRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  /** Whether the current field was quoted (a record of one empty quoted field is not blank). */
  let quotedField = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === '' && !quotedField;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    quotedField = false;
  };

  while (i < input.length) {
    const char = input[i];
    if (char === '"') {
      if (field !== '') throw new CsvSyntaxError(line, 'a quote (") inside a field that does not start with a quote; quote the whole field and double the inner quotes');
      quotedField = true;
      const startLine = line;
      i++;
      for (;;) {
        if (i >= input.length) throw new CsvSyntaxError(startLine, 'a quoted field is never closed (missing ")');
        const c = input[i];
        if (c === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\r' || c === '\n') {
          line++;
          if (c === '\r' && input[i + 1] === '\n') {
            field += '\r\n';
            i += 2;
            continue;
          }
        }
        field += c;
        i++;
      }
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(line, 'text after the closing quote of a field; a field is either quoted in full or not at all');
      }
      continue;
    }
    if (char === ',') {
      endField();
      quotedField = false;
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += char;
    i++;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}

/**
 * Reads a CSV text with a header record. Every record must have as many fields as the header;
 * header names must be present and distinct.
 */
export function parseCsv(text: string): CsvTable {
  const raw = readCsvRecords(text);
  if (raw.length === 0) throw new CsvSyntaxError(1, 'the file is empty; the first line must name the columns');
  const [first, ...rest] = raw;
  const header = first.fields.map((name) => name.trim());
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') throw new CsvSyntaxError(first.line, `column ${index + 1} of the header has no name`);
    if (seen.has(name)) throw new CsvSyntaxError(first.line, `the header names the column "${name}" twice`);
    seen.add(name);
  });
  const records = rest.map(({ line, fields }) => {
    if (fields.length !== header.length) {
      throw new CsvSyntaxError(line, `the record has ${fields.length} field${fields.length === 1 ? '' : 's'} but the header has ${header.length}`);
    }
    const cells: Record<string, string> = Object.create(null);
    header.forEach((name, index) => {
      cells[name] = fields[index];
    });
    return { line, cells };
  });
  return { header, records };
}
