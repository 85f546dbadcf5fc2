/**
 * Runs report definitions for a caller: checks the role (403) and the parameters (400 naming
 * each one), applies the caller's access scope to the data before the definition's pipeline,
 * and shapes the rows into the definition's columns with its ratios and totals row.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { hasAnyRole, type Principal } from '../auth/principal.js';
import { BadRequestError, ForbiddenError, NotFoundError, type FieldError } from '../errors.js';
import { indexName } from '../store/hygiene.js';
import type { Filter, Pipeline, Store } from '../store/types.js';
import { filterUnder } from './case-scope.js';
import { chartData, type ChartData } from './chart-data.js';
import { CASES_COLLECTION, type ReportChart, type ReportColumn, type ReportContext, type ReportDefinition } from './report-definition.js';
import { withRatios } from './row-ratios.js';

/** The field a joined case sits at in a record of another collection. */
export const JOINED_CASE = 'case';

export type Row = Record<string, unknown>;

export interface ReportSummary {
  id: string;
  title: string;
  description: string;
  parameters: Record<string, any>;
  columns: ReportColumn[];
  totals: boolean;
  chart: ReportChart | null;
}

export interface ReportResult {
  report: { id: string; title: string };
  parameters: Record<string, unknown>;
  columns: ReportColumn[];
  rows: Row[];
  totals: Row | null;
  chart: ReportChart | null;
  /** What the chart draws: its categories (rows of one added up) and a series per y column. */
  chartData: ChartData | null;
}

export interface ReportServiceOptions {
  store: Store;
  definitions: ReportDefinition[];
  /** The store filter over case records the principal may see. */
  scopeOf: (principal: Principal) => Promise<Filter>;
  context: () => ReportContext;
}

export class ReportService {
  private readonly byId = new Map<string, { definition: ReportDefinition; validate: ValidateFunction }>();

  constructor(private readonly options: ReportServiceOptions) {
    // Query strings arrive as text: coerce to the schema's types; fill defaults.
    const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
    addFormats.default(ajv);
    for (const definition of options.definitions) {
      this.byId.set(definition.id, { definition, validate: ajv.compile(definition.parameters) });
    }
  }

  /** Creates the indexes the definitions ask for and drops the ones they retired (both idempotent). */
  async init(): Promise<void> {
    const definitions = [...this.byId.values()].map(({ definition }) => definition);
    const inUse = new Set<string>();
    for (const definition of definitions) {
      const collection = this.options.store.collection(definition.source.collection);
      for (const index of definition.indexes ?? []) inUse.add(`${collection.name}\0${await collection.createIndex(index)}`);
    }
    for (const definition of definitions) {
      const collection = this.options.store.collection(definition.source.collection);
      for (const index of definition.retiredIndexes ?? []) {
        const name = indexName(index);
        if (!inUse.has(`${collection.name}\0${name}`)) await collection.dropIndex(name);
      }
    }
  }

  /** The reports the principal may run, in title order. */
  list(principal: Principal): ReportSummary[] {
    return [...this.byId.values()]
      .map(({ definition }) => definition)
      .filter((d) => hasAnyRole(principal, d.roles))
      .sort((a, b) => a.title.localeCompare(b.title))
      .map(summaryOf);
  }

  definition(principal: Principal, id: string): ReportDefinition {
    const entry = this.byId.get(id);
    if (!entry) throw new NotFoundError(`No report ${id}`);
    if (!hasAnyRole(principal, entry.definition.roles)) {
      throw new ForbiddenError(`The report "${entry.definition.title}" needs one of the roles: ${entry.definition.roles.join(', ')}.`);
    }
    return entry.definition;
  }

  /** Checked parameters (coerced, defaults filled), or 400 naming each bad one. */
  parameters(id: string, raw: Record<string, unknown>): Record<string, unknown> {
    const entry = this.byId.get(id);
    if (!entry) throw new NotFoundError(`No report ${id}`);
    const params = structuredClone(raw);
    if (!entry.validate(params)) {
      const errors = (entry.validate.errors ?? []).map(fieldError);
      throw new BadRequestError(`Invalid report parameters: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
    }
    return params;
  }

  /** The stages the runner sends to the store: own match, access scope, then the definition's pipeline. */
  async pipelineFor(principal: Principal, definition: ReportDefinition, params: Record<string, unknown>): Promise<Pipeline> {
    const context = this.options.context();
    const scope = await this.options.scopeOf(principal);
    const own = definition.match?.(params, context) ?? {};
    const { collection, caseField } = definition.source;
    const scoped: Pipeline = collection === CASES_COLLECTION
      ? [{ $match: { $and: [own, scope] } }]
      : [
        { $match: own },
        { $lookup: { from: CASES_COLLECTION, localField: caseField, foreignField: '_id', as: JOINED_CASE } },
        { $unwind: `$${JOINED_CASE}` },
        { $match: filterUnder(JOINED_CASE, scope) },
      ];
    return [...scoped, ...definition.pipeline(params, context)];
  }

  async run(principal: Principal, id: string, raw: Record<string, unknown>): Promise<ReportResult> {
    const definition = this.definition(principal, id);
    const params = this.parameters(id, raw);
    const pipeline = await this.pipelineFor(principal, definition, params);
    const found = await this.options.store.collection(definition.source.collection).aggregate(pipeline);
    const rows = found.map((row) => shapeRow(definition.columns, row));
    return {
      report: { id: definition.id, title: definition.title },
      parameters: params,
      columns: definition.columns,
      rows,
      totals: definition.totals ? totalsRow(definition.columns, rows) : null,
      chart: definition.chart ?? null,
      chartData: definition.chart ? chartData(definition.columns, definition.chart, rows) : null,
    };
  }
}

function summaryOf(d: ReportDefinition): ReportSummary {
  return { id: d.id, title: d.title, description: d.description, parameters: d.parameters, columns: d.columns, totals: d.totals === true, chart: d.chart ?? null };
}

function fieldError(error: ErrorObject): FieldError {
  const params = error.params as Record<string, string>;
  const name = params.missingProperty ?? params.additionalProperty;
  const path = name ? `${error.instancePath}/${name}` : error.instancePath || '/';
  const message = params.additionalProperty ? 'is not a parameter of this report' : error.message ?? 'is not valid';
  return { path, message };
}

function shapeRow(columns: ReportColumn[], found: Row): Row {
  const row: Row = {};
  for (const column of columns) row[column.key] = found[column.key] ?? null;
  return withRatios(columns, row);
}

function totalsRow(columns: ReportColumn[], rows: Row[]): Row {
  const totals: Row = {};
  for (const column of columns) {
    if (column.total === 'sum') totals[column.key] = rows.reduce((sum, row) => sum + (typeof row[column.key] === 'number' ? (row[column.key] as number) : 0), 0);
    else if (column.total === 'countTrue') totals[column.key] = rows.filter((row) => row[column.key] === true).length;
    else if (column.total) totals[column.key] = column.total.label;
    else totals[column.key] = null;
  }
  return withRatios(columns, totals);
}
