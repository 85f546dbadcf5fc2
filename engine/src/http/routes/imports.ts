/**
 * Imports of external extracts into cases: POST /api/case-types/:key/imports with JSON rows,
 * a CSV body (text/csv) or a CSV file (multipart/form-data, part "file"). Answers a report
 * per row; `?dryRun=true` reports without storing. CSV may be as large as a case file upload
 * (UPLOAD_MAX_BYTES), JSON as any request body (BODY_LIMIT_BYTES); either at most 5000 rows.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineServices } from '../../services.js';
import { BadRequestError, EngineError, PayloadTooLargeError } from '../../errors.js';
import { callerOf } from '../auth-plugin.js';
import { CsvSyntaxError, parseCsv } from '../../imports/csv.js';
import { MAX_IMPORT_ROWS, type ImportReport, type SourceRow } from '../../imports/case-import.js';

const CELL_TEXT = 10_000;

const problemSchema = {
  type: 'object',
  properties: { field: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } },
} as const;

const reportSchema = {
  type: 'object',
  properties: {
    caseType: { type: 'string' },
    dryRun: { type: 'boolean' },
    totals: {
      type: 'object',
      properties: { created: { type: 'integer' }, updated: { type: 'integer' }, unchanged: { type: 'integer' }, rejected: { type: 'integer' } },
    },
    ignoredColumns: { type: 'array', items: { type: 'string' } },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          row: { type: 'integer' },
          line: { type: 'integer' },
          key: { type: 'string' },
          outcome: { type: 'string', enum: ['created', 'updated', 'unchanged', 'rejected'] },
          caseId: { type: 'string' },
          caseNumber: { type: 'string' },
          changed: { type: 'array', items: { type: 'string' } },
          notified: {
            type: 'array',
            items: { type: 'object', properties: { template: { type: 'string' }, to: { type: 'array', items: { type: 'string' } }, cc: { type: 'array', items: { type: 'string' } } } },
          },
          problems: { type: 'array', items: problemSchema },
        },
      },
    },
  },
} as const;

const jsonRowsSchema = {
  type: 'object',
  required: ['rows'],
  additionalProperties: false,
  properties: {
    rows: {
      type: 'array',
      maxItems: MAX_IMPORT_ROWS,
      description: 'One object per row: column name -> cell (the same columns a CSV file has)',
      items: {
        type: 'object',
        maxProperties: 500,
        propertyNames: { minLength: 1, maxLength: 200 },
        additionalProperties: { anyOf: [{ type: 'string', maxLength: CELL_TEXT }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
      },
    },
  },
} as const;

type JsonRows = { rows: Record<string, string | number | boolean | null>[] };

function rowsFromJson(body: JsonRows): SourceRow[] {
  return body.rows.map((cells, index) => ({
    row: index + 1,
    cells: Object.fromEntries(Object.entries(cells).map(([column, value]) => [column, value === null ? '' : String(value)])),
  }));
}

function rowsFromCsv(text: string): { rows: SourceRow[]; header: string[] } {
  try {
    const table = parseCsv(text);
    return { header: table.header, rows: table.records.map((record, index) => ({ row: index + 1, line: record.line, cells: record.cells })) };
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new BadRequestError(`The CSV is malformed at line ${error.line}: ${error.reason}`, [{ path: `line ${error.line}`, message: error.reason }]);
    }
    throw error;
  }
}

/** The "file" part of a multipart upload, as text (at most `limit` bytes). */
async function uploadedText(request: FastifyRequest, limit: number): Promise<string> {
  let content: Buffer;
  try {
    const part = await request.file({ limits: { fileSize: limit } });
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new BadRequestError('No file was sent', [{ path: '/file', message: 'is required (a multipart part named "file" holding the CSV)' }]);
    }
    content = await part.toBuffer();
  } catch (error) {
    if (error instanceof EngineError) throw error;
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new PayloadTooLargeError(`The file is larger than ${limit} bytes; split it.`, [{ path: '/file', message: 'is too large' }]);
    }
    // The multipart reader fails only on what the client sent (a cut or garbled body).
    throw new BadRequestError('The upload is not readable multipart/form-data', [{ path: '/file', message: (error as Error).message.slice(0, 200) }]);
  }
  return decodeUtf8(content);
}

function decodeUtf8(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new BadRequestError('The file is not UTF-8 text', [{ path: '/file', message: 'must be a CSV file saved as UTF-8' }]);
  }
}

export async function importRoutes(app: FastifyInstance, { imports, config }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);
  // A CSV extract may be larger than a JSON request: it is held to the upload limit (and the row limit).
  const csvLimit = config.uploads.maxBytes;
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: csvLimit }, (_request, body, done) => {
    try {
      done(null, decodeUtf8(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.post<{ Params: { key: string }; Querystring: { dryRun?: boolean }; Body: JsonRows | string | undefined }>('/api/case-types/:key/imports', {
    schema: {
      tags: ['imports'],
      summary: 'Create or update cases from an extract: JSON rows, a CSV body (text/csv) or a CSV file (multipart/form-data, part "file"); idempotent by the case type\'s import key',
      consumes: ['application/json', 'text/csv', 'multipart/form-data'],
      params: { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } } },
      querystring: { type: 'object', additionalProperties: false, properties: { dryRun: { type: 'boolean', description: 'report without storing anything' } } },
      body: {
        content: {
          'application/json': { schema: jsonRowsSchema },
          'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header line' } },
        },
      },
      response: { 200: reportSchema },
    },
  }, async (request): Promise<ImportReport> => {
    const principal = callerOf(request);
    // Refuse early (before reading a file) when the caller may not import at all.
    await imports.configFor(principal, request.params.key);
    let source: 'json' | 'csv';
    let parsed: { rows: SourceRow[]; header?: string[] };
    if (request.isMultipart()) {
      source = 'csv';
      parsed = rowsFromCsv(await uploadedText(request, csvLimit));
    } else if (typeof request.body === 'string') {
      source = 'csv';
      parsed = rowsFromCsv(request.body);
    } else if (request.body && typeof request.body === 'object') {
      source = 'json';
      parsed = { rows: rowsFromJson(request.body) };
    } else {
      throw new BadRequestError('Send the rows as JSON { "rows": [...] }, as text/csv, or as a multipart CSV file', [{ path: '/rows', message: 'is required' }]);
    }
    const report = await imports.run(principal, request.params.key, parsed.rows, {
      dryRun: request.query.dryRun,
      header: parsed.header,
      audit: (entry) => request.audit(entry),
    });
    await request.audit({
      action: 'case.import',
      entity: { type: 'caseType', id: request.params.key },
      details: { source, dryRun: report.dryRun, rows: report.rows.length, totals: report.totals },
    });
    return report;
  });
}
