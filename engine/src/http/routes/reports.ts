/**
 * Reports: the definitions a caller may run, and a run answered as JSON, as streamed CSV or as
 * an XLSX workbook. Parameters come as the query string, checked against the report's schema.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { csvLines } from '../../reports/csv-export.js';
import { xlsxWorkbook } from '../../reports/xlsx-export.js';
import type { ReportResult } from '../../reports/report-service.js';

const reportParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,63}$' } },
} as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const columnSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' }, title: { type: 'string' }, type: { type: 'string' },
    ratio: { type: 'array', items: { type: 'string' } }, total: {},
  },
} as const;
const chartSchema = { type: ['object', 'null'], additionalProperties: true } as const;
const resultSchema = {
  type: 'object',
  properties: {
    report: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
    parameters: anyObject,
    columns: { type: 'array', items: columnSchema },
    rows: { type: 'array', items: anyObject },
    totals: { type: ['object', 'null'], additionalProperties: true },
    chart: chartSchema,
    chartData: {
      type: ['object', 'null'],
      properties: {
        categories: { type: 'array', items: { type: 'string' } },
        series: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, title: { type: 'string' }, values: { type: 'array', items: { type: 'number' } } } } },
        categoryCount: { type: 'integer' },
      },
    },
  },
} as const;

type RunRequest = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>;

/** File names from the report id and its parameters' values (month, ...). */
function fileName(result: ReportResult, extension: string): string {
  const parts = [result.report.id, ...Object.values(result.parameters).filter((v) => typeof v === 'string' || typeof v === 'number')];
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.${extension}`;
}

export async function reportRoutes(app: FastifyInstance, { reports }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  const run = async (request: RunRequest, format: string): Promise<ReportResult> => {
    const result = await reports.run(callerOf(request), request.params.id, request.query ?? {});
    await request.audit({
      action: 'report.run',
      entity: { type: 'report', id: result.report.id },
      details: { format, parameters: result.parameters, rows: result.rows.length },
    });
    return result;
  };

  app.get('/api/reports', {
    schema: {
      tags: ['reports'],
      summary: 'The reports the caller may run, with their parameter schemas, columns and chart',
      response: {
        200: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, parameters: anyObject,
              columns: { type: 'array', items: columnSchema }, totals: { type: 'boolean' }, chart: chartSchema,
            },
          },
        },
      },
    },
  }, async (request) => reports.list(callerOf(request)));

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/reports/:id', {
    schema: {
      tags: ['reports'],
      summary: 'Runs a report; parameters in the query string (e.g. ?month=2026-05). 400 names a bad parameter, 403 a role that may not run it',
      params: reportParam,
      response: { 200: resultSchema },
    },
  }, async (request) => run(request, 'json'));

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/reports/:id/csv', {
    schema: { tags: ['reports'], summary: 'Runs a report and streams it as CSV (header row, the rows, then the totals row)', params: reportParam },
  }, async (request, reply) => {
    const result = await run(request, 'csv');
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${fileName(result, 'csv')}"`);
    return reply.send(Readable.from(csvLines(result)));
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/reports/:id/xlsx', {
    schema: { tags: ['reports'], summary: 'Runs a report and answers it as an XLSX workbook (one sheet, the same cells as the CSV)', params: reportParam },
  }, async (request, reply) => {
    const result = await run(request, 'xlsx');
    reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    reply.header('content-disposition', `attachment; filename="${fileName(result, 'xlsx')}"`);
    return reply.send(xlsxWorkbook(result));
  });
}
