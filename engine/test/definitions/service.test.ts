import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { DefinitionService, DEFINITIONS_COLLECTION, contentHash } from '../../src/definitions/index.js';
import type { Store } from '../../src/store/types.js';
import { validCaseType, validForm, validLookup, VALID_BPMN } from './fixtures.js';
import { openTestStore } from './test-store.js';

let store: Store;
let close: () => Promise<void>;
let service: DefinitionService;
let clockTime: Date;

beforeEach(async () => {
  ({ store, close } = await openTestStore());
  clockTime = new Date('2025-01-02T03:04:05.000Z');
  service = new DefinitionService(store, { clock: { now: () => clockTime } });
  await service.init();
});

afterEach(async () => {
  await close();
});

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('publish', () => {
  it('stores version 1, then 2, with hash, time and publisher', async () => {
    const first = await service.publish('form', 'intake', validForm(), 'ada');
    expect(first.created).toBe(true);
    expect(first.warnings).toEqual([]);
    expect(first.definition).toMatchObject({
      _id: 'form:intake:1', kind: 'form', key: 'intake', version: 1, publishedBy: 'ada', hash: contentHash(validForm()),
    });
    expect(first.definition.publishedAt).toEqual(clockTime);
    expect(first.definition.content.owner).toBe('kept as is');

    clockTime = new Date('2025-02-01T00:00:00.000Z');
    const changed = { ...validForm(), title: 'Intake (new)' };
    const second = await service.publish('form', 'intake', changed, 'bob');
    expect(second).toMatchObject({ created: true, definition: { version: 2, publishedBy: 'bob' } });
    expect(second.definition.publishedAt).toEqual(clockTime);

    // The first version is untouched.
    const v1 = await service.get('form', 'intake', 1);
    expect(v1.content.title).toBe('Intake');
    expect(v1.publishedBy).toBe('ada');
    expect(v1.hash).toBe(first.definition.hash);
  });

  it('is idempotent: the same content (in any key order) publishes nothing new', async () => {
    const first = await service.publish('form', 'intake', validForm(), 'ada');
    const reordered = Object.fromEntries(Object.entries(validForm()).reverse());
    const again = await service.publish('form', 'intake', reordered, 'bob');
    expect(again.created).toBe(false);
    expect(again.definition).toEqual(first.definition);
    expect(await store.collection(DEFINITIONS_COLLECTION).countDocuments({})).toBe(1);
  });

  it('publishes content equal to an older version as a new version (a revert)', async () => {
    await service.publish('form', 'intake', validForm(), 'ada');
    await service.publish('form', 'intake', { ...validForm(), title: 'Other' }, 'ada');
    const reverted = await service.publish('form', 'intake', validForm(), 'ada');
    expect(reverted).toMatchObject({ created: true, definition: { version: 3 } });
  });

  it('latestVersion names the newest version of a key and kind alone', async () => {
    await service.publish('form', 'intake', validForm(), 'ada');
    await service.publish('form', 'intake', { ...validForm(), title: 'Other' }, 'ada');
    await service.publish('lookup', 'intake', validLookup(), 'ada');
    expect(await service.latestVersion('form', 'intake')).toBe(2);
    expect(await service.latestVersion('lookup', 'intake')).toBe(1);
    await expect(service.latestVersion('form', 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.latestVersion('form', 'Not A Key')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('sees a version another engine node published on the same store, after it has read the key itself', async () => {
    const other = new DefinitionService(store, { clock: { now: () => clockTime } });
    await service.publish('form', 'intake', validForm(), 'ada');
    expect(await service.latestVersion('form', 'intake')).toBe(1);
    expect(await other.latestVersion('form', 'intake')).toBe(1);
    // The other node publishes twice; this one has its own last answer in mind.
    await other.publish('form', 'intake', { ...validForm(), title: 'Second' }, 'bo');
    await other.publish('form', 'intake', { ...validForm(), title: 'Third' }, 'bo');
    expect(await service.latestVersion('form', 'intake')).toBe(3);
    expect((await service.latest('form', 'intake')).content.title).toBe('Third');
    // Publishing here numbers after them; a key published nowhere yet is still unknown, and found once published.
    expect((await service.publish('form', 'intake', { ...validForm(), title: 'Fourth' }, 'ada')).definition.version).toBe(4);
    expect(await other.latestVersion('form', 'intake')).toBe(4);
    await expect(service.latestVersion('form', 'later')).rejects.toBeInstanceOf(NotFoundError);
    await other.publish('form', 'later', validForm(), 'bo');
    expect(await service.latestVersion('form', 'later')).toBe(1);
  });

  it('keeps each key and kind apart', async () => {
    await service.publish('form', 'intake', validForm(), 'ada');
    const other = await service.publish('form', 'follow-up', validForm(), 'ada');
    const lookup = await service.publish('lookup', 'intake', validLookup(), 'ada');
    expect(other.definition.version).toBe(1);
    expect(lookup.definition.version).toBe(1);
  });

  it('stores a copy: changing the given or returned objects changes nothing stored', async () => {
    const content = validForm();
    const { definition } = await service.publish('form', 'intake', content, 'ada');
    content.title = 'changed after publishing';
    definition.content.title = 'changed too';
    expect((await service.latest('form', 'intake')).content.title).toBe('Intake');
  });

  it('keeps content the store could not hold as fields ($schema, $ref, a property named constructor) exactly', async () => {
    const form = validForm();
    form.schema.$schema = 'http://json-schema.org/draft-07/schema#';
    form.schema.definitions = { count: { type: 'integer' } };
    form.schema.properties.constructor = { $ref: '#/definitions/count', title: 'Builder' };
    const { definition } = await service.publish('form', 'intake', form, 'ada');
    expect(definition.content).toEqual(JSON.parse(JSON.stringify(form)));
    expect((await service.get('form', 'intake', 1)).content).toEqual(definition.content);
    expect(Object.keys((await service.get('form', 'intake', 1)).content.schema.properties)).toEqual(
      Object.keys(form.schema.properties),
    );
  });

  it('refuses bad keys, kinds and publishers, storing nothing', async () => {
    for (const key of ['Intake', 'a', '1abc', 'with space', 'under_score', 'x'.repeat(65)]) {
      const error = await refusal(service.publish('form', key, validForm(), 'ada'));
      expect(error.errors).toEqual([{ path: 'key', message: expect.stringContaining('lowercase letters') }]);
    }
    await refusal(service.publish('widget' as any, 'intake', validForm(), 'ada'));
    const error = await refusal(service.publish('form', 'intake', validForm(), ' '));
    expect(error.errors[0].path).toBe('publishedBy');
    expect(await store.collection(DEFINITIONS_COLLECTION).countDocuments({})).toBe(0);
  });

  it('stores nothing after a refusal, and the next valid publish is version 1', async () => {
    const broken = validForm();
    broken.schema.properties.age.type = 'strng';
    await refusal(service.publish('form', 'intake', broken, 'ada'));
    await expect(service.latest('form', 'intake')).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.collection(DEFINITIONS_COLLECTION).countDocuments({})).toBe(0);
    expect((await service.publish('form', 'intake', validForm(), 'ada')).definition.version).toBe(1);
  });

  it('numbers concurrent publishes without losing or duplicating a version', async () => {
    const contents = [1, 2].map((n) => ({ ...validLookup(), title: `List ${n}` }));
    const results = await Promise.all(contents.map((c) => service.publish('lookup', 'langs', c, 'ada')));
    expect(results.map((r) => r.definition.version).sort()).toEqual([1, 2]);
    const stored = await service.versions('lookup', 'langs');
    expect(stored.map((v) => v.version)).toEqual([1, 2]);
    expect(new Set(stored.map((v) => v.hash)).size).toBe(2);
  });

  it('under heavy contention either stores a distinct version or reports a conflict', async () => {
    const contents = Array.from({ length: 8 }, (_, n) => ({ ...validLookup(), title: `List ${n}` }));
    const settled = await Promise.allSettled(contents.map((c) => service.publish('lookup', 'langs', c, 'ada')));
    const stored = await service.versions('lookup', 'langs');
    const fulfilled = settled.filter((s) => s.status === 'fulfilled');
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(ConflictError);
    expect(stored.map((v) => v.version)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.length).toBe(fulfilled.length);
  });

  it('answers a concurrent publish of the same content with the one stored version', async () => {
    const results = await Promise.all([1, 2, 3].map(() => service.publish('lookup', 'langs', validLookup(), 'ada')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.every((r) => r.definition.version === 1)).toBe(true);
    expect(await service.versions('lookup', 'langs')).toHaveLength(1);
  });
});

describe('reading', () => {
  beforeEach(async () => {
    await service.publish('form', 'intake', validForm(), 'ada');
    await service.publish('form', 'intake', { ...validForm(), title: 'Intake 2' }, 'ada');
    await service.publish('form', 'exit', validForm(), 'ada');
    await service.publish('caseType', 'case', validCaseType(), 'ada');
    await service.publish('lookup', 'langs', validLookup(), 'ada');
    await service.publish('process', 'review', { xml: VALID_BPMN }, 'ada');
  });

  it('latest answers the newest version', async () => {
    const latest = await service.latest('form', 'intake');
    expect(latest).toMatchObject({ version: 2, content: { title: 'Intake 2' } });
  });

  it('get answers one version', async () => {
    expect((await service.get('form', 'intake', 1)).content.title).toBe('Intake');
    expect((await service.get('form', 'intake', 2)).content.title).toBe('Intake 2');
  });

  it('versions lists every version, oldest first, without content', async () => {
    const versions = await service.versions('form', 'intake');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    for (const v of versions) {
      expect(v).not.toHaveProperty('content');
      expect(v).toMatchObject({ kind: 'form', key: 'intake', publishedBy: 'ada' });
      expect(v.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('list answers the latest of each key, by kind then key', async () => {
    const all = await service.list();
    expect(all.map((d) => `${d.kind}:${d.key}:${d.version}`)).toEqual([
      'form:exit:1', 'form:intake:2', 'caseType:case:1', 'process:review:1', 'lookup:langs:1',
    ]);
    const forms = await service.list('form');
    expect(forms.map((d) => d.key)).toEqual(['exit', 'intake']);
    expect(forms[1].content.title).toBe('Intake 2');
  });

  it('throws NotFoundError for what does not exist', async () => {
    await expect(service.latest('form', 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.latest('lookup', 'intake')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.get('form', 'intake', 3)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.get('form', 'intake', 0)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.get('form', 'intake', 1.5)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.versions('form', 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.latest('form', 'Not A Key')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('list of a kind with nothing published is empty', async () => {
    const empty = await openTestStore();
    try {
      const fresh = new DefinitionService(empty.store);
      expect(await fresh.list('lookup')).toEqual([]);
      expect(await fresh.list()).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});

describe('extra checks', () => {
  it('runs checks added for a kind after the built-in validation, and can be removed', async () => {
    const seen: unknown[] = [];
    const remove = service.addCheck('process', (content, context) => {
      seen.push(context);
      const model = context.model as { rootElements: { $type: string; flowElements?: { $type: string; id: string }[] }[] };
      const tasks = model.rootElements.flatMap((e) => e.flowElements ?? []).filter((e) => e.$type === 'bpmn:UserTask');
      return tasks.map((t) => ({ path: t.id, message: 'User tasks are not allowed here' }));
    });
    const error = await refusal(service.publish('process', 'review', { xml: VALID_BPMN }, 'ada'));
    expect(error.errors).toEqual([{ path: 'Review', message: 'User tasks are not allowed here' }]);
    expect(seen).toEqual([expect.objectContaining({ kind: 'process', key: 'review' })]);
    await expect(service.latest('process', 'review')).rejects.toBeInstanceOf(NotFoundError);

    remove();
    expect((await service.publish('process', 'review', { xml: VALID_BPMN }, 'ada')).created).toBe(true);
  });

  it('applies only to its kind, may warn without blocking, and is not run on content that already failed', async () => {
    let calls = 0;
    service.addCheck('lookup', async (content) => {
      calls++;
      return { warnings: [{ path: '/title', message: `"${content.title}" is a vague title` }] };
    });
    const published = await service.publish('lookup', 'langs', validLookup(), 'ada');
    expect(published.warnings).toEqual([{ path: '/title', message: '"Languages" is a vague title' }]);
    await service.publish('form', 'intake', validForm(), 'ada');
    await refusal(service.publish('lookup', 'other', { title: 'x', items: [] }, 'ada'));
    expect(calls).toBe(1);
  });
});
