import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefinitionService, loadDefinitionsFromDisk } from '../../src/definitions/index.js';
import { validCaseType, validForm, validLookup, VALID_BPMN } from './fixtures.js';
import { openTestStore } from './test-store.js';

let dir: string;
let formsDir: string;
let processesDir: string;
let close: () => Promise<void>;
let service: DefinitionService;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'definitions-loader-'));
  formsDir = path.join(dir, 'forms');
  processesDir = path.join(dir, 'processes');
  await mkdir(path.join(formsDir, 'lookups'), { recursive: true });
  await mkdir(path.join(processesDir, 'nested'), { recursive: true });
  await writeFile(path.join(formsDir, 'intake.form.json'), JSON.stringify(validForm(), null, 2));
  await writeFile(path.join(formsDir, 'case.case.json'), JSON.stringify(validCaseType(), null, 2));
  await writeFile(path.join(formsDir, 'lookups', 'languages.lookup.json'), '\ufeff' + JSON.stringify(validLookup()));
  await writeFile(path.join(formsDir, 'README.md'), '# not a definition');
  await writeFile(path.join(processesDir, 'nested', 'review.bpmn'), VALID_BPMN);
  const opened = await openTestStore();
  close = opened.close;
  service = new DefinitionService(opened.store);
});

afterEach(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

const load = () => loadDefinitionsFromDisk(service, { formsDir, processesDir, publishedBy: 'system' });

describe('loadDefinitionsFromDisk', () => {
  it('publishes every definition file by kind, with the file name as key', async () => {
    const report = await load();
    expect(report.failed).toEqual([]);
    expect(report.unchanged).toBe(0);
    expect(report.published.map(({ kind, key, version }) => ({ kind, key, version }))).toEqual([
      { kind: 'lookup', key: 'languages', version: 1 },
      { kind: 'caseType', key: 'case', version: 1 },
      { kind: 'form', key: 'intake', version: 1 },
      { kind: 'process', key: 'review', version: 1 },
    ]);
    expect((await service.latest('process', 'review')).content).toEqual({ xml: VALID_BPMN });
    expect((await service.latest('form', 'intake')).publishedBy).toBe('system');
  });

  it('publishes nothing the second time, and only what changed after that', async () => {
    await load();
    const again = await load();
    expect(again).toEqual({ published: [], unchanged: 4, failed: [], warnings: [] });

    await writeFile(path.join(formsDir, 'intake.form.json'), JSON.stringify({ ...validForm(), title: 'Intake 2' }));
    const third = await load();
    expect(third.published.map(({ kind, key, version }) => ({ kind, key, version }))).toEqual([{ kind: 'form', key: 'intake', version: 2 }]);
    expect(third.unchanged).toBe(3);
  });

  it('reports broken files and still publishes the others', async () => {
    const badJson = path.join(formsDir, 'broken.form.json');
    const badSchema = path.join(formsDir, 'typo.form.json');
    const badKey = path.join(formsDir, 'Bad_Name.lookup.json');
    const notXml = path.join(processesDir, 'junk.bpmn');
    const duplicate = path.join(formsDir, 'lookups', 'intake.form.json');
    await writeFile(badJson, '{ "title": ');
    const typo = validForm();
    typo.schema.properties.age.type = 'strng';
    await writeFile(badSchema, JSON.stringify(typo));
    await writeFile(badKey, JSON.stringify(validLookup()));
    await writeFile(notXml, 'not xml');
    await writeFile(duplicate, JSON.stringify(validForm()));

    const report = await load();
    expect(report.published).toHaveLength(4);
    const failed = Object.fromEntries(report.failed.map((f) => [f.file, f.errors]));
    expect(Object.keys(failed).sort()).toEqual([badKey, badJson, duplicate, badSchema, notXml].sort());
    expect(failed[badJson][0].message).toContain('not valid JSON');
    expect(failed[badSchema]).toEqual([expect.objectContaining({ path: '/schema/properties/age/type' })]);
    expect(failed[badKey][0].path).toBe('key');
    expect(failed[notXml][0].path).toBe('line 1');
    expect(failed[duplicate][0].message).toContain('already taken');
  });

  it('reports a folder that does not exist', async () => {
    const missing = path.join(dir, 'nowhere');
    const report = await loadDefinitionsFromDisk(service, { formsDir: missing, processesDir, publishedBy: 'system' });
    expect(report.failed).toEqual([{ file: missing, errors: [expect.objectContaining({ path: '' })] }]);
    expect(report.published).toHaveLength(1);
  });
});
