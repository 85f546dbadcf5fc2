/**
 * Benchmark of case listing queries on a store of many cases: the filters and sorts the CTS case
 * type's `listing` declaration produces (documents/case-listing.ts), each with its total count,
 * as the case list API runs them, for a caller who sees every case and for callers whose scope
 * (documents/case-access.ts) is an `$or` of several rules. Prints wall and CPU milliseconds per
 * query, beside plain mingo over the same documents in memory; never asserts anything.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo';
import { openEmbeddedStore } from '../src/store/embedded/index.js';
import { visibilityIndexes } from '../src/documents/case-access.js';
import { listingIndexes, listingQuery, type ListingConfig, type ListingParams } from '../src/documents/case-listing.js';
import type { Doc, Filter } from '../src/store/types.js';

const SIZE = Number(process.env.BENCH_CASES ?? 100_000);
const PAGE = 10;

export async function benchCaseListing(): Promise<void> {
  const caseType = JSON.parse(await readFile(new URL('../../forms/assignment.case.json', import.meta.url), 'utf8'));
  const listing = caseType.listing as ListingConfig;
  const statuses = caseType.statuses as string[];
  const dir = await mkdtemp(join(tmpdir(), 'bench-listing-'));
  const store = await openEmbeddedStore({ dir });
  try {
    const cases = store.collection('cases');
    // The cases' own indexes (CaseService.init), the listing's and the visibility rules'.
    const indexes = [{ caseType: 1, status: 1 }, { 'people.userId': 1 }, { createdBy: 1 }, ...listingIndexes(listing), ...visibilityIndexes(caseType.visibility)];
    for (const key of indexes) await cases.createIndex({ key: key as Record<string, 1> });
    // 200 workers in 20 units of 10 under 20 supervisors, 20 offices; every third case has an advocate of 300.
    const makeCase = (i: number): Doc => ({
      caseType: 'assignment', number: `A-${String(i).padStart(6, '0')}`, status: statuses[i % statuses.length],
      data: {
        referralNumber: `R-${i}`, youthFirstName: `First${i % 500}`, youthLastName: `Last${(i * 7919) % 5000}`, dob: `20${String(5 + (i % 10)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, caseNumber: `C-${i}`,
        leadAgency: 'DCFS', dcfsOffice: `Office ${(i * 31) % 20}`,
      },
      people: [{ role: 'CSW', userId: `u${i % 200}` }, { role: 'SCSW', userId: `s${Math.floor((i % 200) / 10)}` }, ...(i % 3 === 0 ? [{ role: 'Advocate', userId: `a${i % 300}` }] : [])],
      createdBy: `u${(i + 1) % 200}`, createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000), updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    });
    for (let start = 0; start < SIZE; start += 1000) await cases.insertMany(Array.from({ length: Math.min(1000, SIZE - start) }, (_, i) => makeCase(start + i)));
    const memory: Doc[] = await cases.find({});

    // Scopes as CaseAccess.visibilityFilter builds them from the case type's rules: a worker
    // (holds the CSW role or opened the case) and a supervisor (holds SCSW, a CSW of the unit
    // holds the case, or the case is of the supervisor's office).
    const scopes: Record<string, Filter> = {
      everything: {},
      worker: { $or: [{ caseType: 'assignment', people: { $elemMatch: { role: 'CSW', userId: 'u5' } } }, { caseType: 'assignment', createdBy: 'u5' }] },
      supervisor: {
        $or: [
          { caseType: 'assignment', people: { $elemMatch: { role: 'SCSW', userId: 's0' } } },
          { caseType: 'assignment', people: { $elemMatch: { role: 'CSW', userId: { $in: Array.from({ length: 10 }, (_, i) => `u${i}`) } } } },
          { caseType: 'assignment', 'data.dcfsOffice': 'Office 3' },
        ],
      },
    };
    const queries: [string, ListingParams, Filter][] = [
      ['referral # (exact, indexed), Non-Closed', { status: 'Non-Closed', search: { referralNumber: `R-${Math.floor(SIZE / 2)}` } }, scopes.everything],
      ['PDJ # / Case # / State ID (exact, any of 3 fields)', { search: { caseId: `C-${Math.floor(SIZE / 3)}` } }, scopes.everything],
      ['youth DOB (date, indexed) sorted by name', { sort: 'youthName', search: { dob: '2009-05-14' } }, scopes.everything],
      ['youth last name prefix, Non-Closed, sorted by name', { status: 'Non-Closed', sort: 'youthName', search: { youthLastName: 'last12' } }, scopes.everything],
      ['default listing: Non-Closed, last activity first, page 1', { status: 'Non-Closed', search: {} }, scopes.everything],
      ['worker ($or of 2 rules): default listing', { status: 'Non-Closed', search: {} }, scopes.worker],
      ['supervisor ($or of 3 rules): default listing', { status: 'Non-Closed', search: {} }, scopes.supervisor],
      ['supervisor ($or of 3 rules): last name prefix, by name', { status: 'Non-Closed', sort: 'youthName', search: { youthLastName: 'last1' } }, scopes.supervisor],
    ];
    const rows: string[][] = [];
    for (const [name, params, scope] of queries) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const { criteria, sort, anyOf } = listingQuery(listing, statuses, params);
      // as CaseService.list: ids of each field of a several-field exact search first (indexed)
      for (const filters of anyOf) {
        const found = await Promise.all(filters.map((f) => cases.find({ $and: [{ caseType: 'assignment' }, f] }, { projection: { _id: 1 } })));
        criteria.push({ _id: { $in: [...new Set(found.flat().map((c) => c._id))] } });
      }
      const filter = { $and: [{ caseType: 'assignment' }, ...criteria, scope] };
      const [items, total] = await Promise.all([cases.find(filter, { sort, limit: PAGE }), cases.countDocuments(filter)]);
      const ms = performance.now() - started;
      const { user, system } = process.cpuUsage(cpu);
      const memoryStarted = performance.now();
      const query = new Query(filter, { scriptEnabled: false });
      query.find(memory).sort(sort).limit(PAGE).all();
      const memoryTotal = query.find(memory).all().length;
      const memoryMs = performance.now() - memoryStarted;
      // the same answer both ways, or the figures compare different work
      const same = memoryTotal === total ? '' : ` (mingo: ${memoryTotal})`;
      rows.push([name, `${ms.toFixed(1)}`, `${((user + system) / 1000).toFixed(1)}`, `${memoryMs.toFixed(1)}`, `${(ms / memoryMs).toFixed(2)}x`, `${items.length}/${total}${same}`]);
    }
    console.log(`\ncase listing queries, ${SIZE.toLocaleString('en-US')} cases (page of ${PAGE} + total count; target: each under 1,000 ms)`);
    const headers = ['query', 'embedded ms', 'embedded CPU ms', 'plain mingo ms', 'ratio', 'page/total'];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
    console.log(line(headers));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
