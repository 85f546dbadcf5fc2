/**
 * The indexes reports declare: created at start, and the ones a report retired dropped (unless
 * a definition still asks for an index of that name), on the embedded store on disk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionProblems, type ReportDefinition } from '../../src/reports/report-definition.js';
import { ReportService } from '../../src/reports/report-service.js';
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import type { Store } from '../../src/store/types.js';

function report(id: string, more: Partial<ReportDefinition>): ReportDefinition {
  return {
    id, title: id, description: '', parameters: { type: 'object' }, roles: ['Manager'],
    source: { collection: 'records', caseField: 'caseId' }, pipeline: () => [], columns: [{ key: 'n', title: 'N', type: 'integer' }],
    ...more,
  };
}

function serviceOf(store: Store, definitions: ReportDefinition[]): ReportService {
  return new ReportService({
    store, definitions, scopeOf: async () => ({}),
    context: () => ({ timeZone: 'UTC', toInstant: (d) => new Date(`${d}T00:00:00Z`), localDate: (i) => i.toISOString().slice(0, 10), now: new Date() }),
  });
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'report-indexes-'));
  store = await openEmbeddedStore({ dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const names = async () => (await store.collection('records').listIndexes()).map((index) => index.name);

describe('report indexes', () => {
  it('start creates the declared indexes and drops the retired ones no definition asks for; again changes nothing', async () => {
    const records = store.collection('records');
    await records.insertMany([{ caseId: 'c1', kind: 'a', day: '2026-12-01' }, { caseId: 'c2', kind: 'b', day: '2026-12-02' }]);
    // What earlier versions created, and an index of the engine's own that no report names.
    await records.createIndex({ key: { kind: 1 } });
    await records.createIndex({ key: { kind: 1, day: 1 } });
    await records.createIndex({ key: { caseId: 1 } });
    const definitions = [
      report('first', { indexes: [{ key: { kind: 1, day: 1, caseId: 1 } }], retiredIndexes: [{ key: { kind: 1 } }, { key: { kind: 1, day: 1 } }] }),
      // Still asks for the index the first one retired: it stays.
      report('second', { indexes: [{ key: { kind: 1, day: 1 } }] }),
      report('third', { retiredIndexes: [{ key: { never: 1 } }, { key: { x: 1 }, name: 'named-once' }] }),
    ];
    await serviceOf(store, definitions).init();
    expect(await names()).toEqual(['kind_1_day_1', 'caseId_1', 'kind_1_day_1_caseId_1']);
    await serviceOf(store, definitions).init();
    expect(await names()).toEqual(['kind_1_day_1', 'caseId_1', 'kind_1_day_1_caseId_1']);
    // Once no definition asks for it, the retired one goes too; the store answers as before.
    await serviceOf(store, definitions.filter((d) => d.id !== 'second')).init();
    expect(await names()).toEqual(['caseId_1', 'kind_1_day_1_caseId_1']);
    expect((await records.find({ kind: 'a', day: { $gte: '2026-12-01' } })).map((d) => d.caseId)).toEqual(['c1']);
  });

  it('a definition whose indexes or retired indexes are not index specifications is refused, naming the entry', () => {
    expect(definitionProblems(report('bad', { indexes: [{ key: {} }] }))).toEqual(['indexes/0: an index needs at least one field']);
    expect(definitionProblems(report('bad', { retiredIndexes: {} as never }))).toEqual(['retiredIndexes must be a list of index specifications']);
    expect(definitionProblems(report('bad', { retiredIndexes: [{ key: { a: 1 } }, { key: { b: 2 as 1 } }] }))).toEqual(['retiredIndexes/1: index direction for b must be 1 or -1']);
    expect(definitionProblems(report('bad', { indexes: [{ key: { a: 1 } }], retiredIndexes: [{ key: { a: 1 } }] }))).toEqual(['retiredIndexes: a_1 is also in indexes']);
    expect(definitionProblems(report('good', { indexes: [{ key: { a: 1 } }], retiredIndexes: [{ key: { a: 1, b: 1 } }] }))).toEqual([]);
  });
});
