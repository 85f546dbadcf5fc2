/**
 * Lookup codes change without breaking documents: a label is renamed, a code is added, and a
 * code no longer to be chosen is retired (never removed). A document on the earlier form
 * version keeps its retired code and still saves and submits; a new document cannot choose it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { createHarness, openMatter, seedApproval, type Harness } from '../runtime/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await seedApproval(h);
});
afterEach(() => h.destroy());

const lookup = (items: Record<string, unknown>[]) => ({ title: 'Placements', items });
const form = (codes: string[]) => ({
  title: 'Placement note',
  schema: { type: 'object', required: ['placement'], properties: { placement: { type: 'string', title: 'Placement', enum: codes, 'x-lookup': 'placements' } } },
  uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/placement' }] },
});
const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ValidationError);

it('renames, adds and retires codes; documents holding a retired code stay valid, new ones cannot choose it', async () => {
  const { definitions, documents } = h.engine.services;
  await definitions.publish('lookup', 'placements', lookup([{ code: 'home', label: 'Home' }, { code: 'group', label: 'Group home' }]), 'test');
  await definitions.publish('form', 'placement-note', form(['home', 'group']), 'test');
  const matter = await openMatter(h);
  const worker = h.users.worker;
  const old = await documents.create(worker, matter._id, 'placement-note');
  const saved = await documents.saveDraft(worker, old._id, { placement: 'group' }, old.version);

  // Version 2: "home" renamed, "relative" added, "group" retired (kept, so its label stays known).
  const v2 = await definitions.publish('lookup', 'placements', lookup([
    { code: 'home', label: 'Family home' }, { code: 'group', label: 'Group home', retired: true }, { code: 'relative', label: 'Relative' },
  ]), 'test');
  expect(v2.definition.version).toBe(2);
  const stillOffered = await definitions.publish('form', 'placement-note', form(['home', 'group', 'relative']), 'test');
  expect(stillOffered.warnings).toEqual([{ path: '/schema/properties/placement/enum', message: 'The lookup "placements" has retired group' }]);
  const current = await definitions.publish('form', 'placement-note', form(['home', 'relative']), 'test');
  expect(current).toMatchObject({ created: true, warnings: [], definition: { version: 3 } });

  // The old document keeps its form version and its retired code.
  const resaved = await documents.saveDraft(worker, old._id, { placement: 'group' }, saved.version);
  const submitted = await documents.submit(worker, old._id, { signatureName: 'worker Test', expectedVersion: resaved.version });
  expect(submitted).toMatchObject({ stage: 'submitted', formVersion: 1, data: { placement: 'group' } });

  // A new document is on the current version: the retired code is refused, naming the field.
  const fresh = await documents.create(worker, matter._id, 'placement-note');
  expect(fresh.formVersion).toBe(3);
  const refused = await refusal(documents.saveDraft(worker, fresh._id, { placement: 'group' }, fresh.version));
  expect(refused).toBeInstanceOf(ValidationError);
  expect(refused!.errors.map((e) => e.path)).toEqual(['/data/placement']);
  expect((await documents.saveDraft(worker, fresh._id, { placement: 'relative' }, fresh.version)).data.placement).toBe('relative');
});

it('refuses a lookup version that removes a code instead of retiring it', async () => {
  const { definitions } = h.engine.services;
  await definitions.publish('lookup', 'placements', lookup([{ code: 'home', label: 'Home' }, { code: 'group', label: 'Group home' }]), 'test');
  const refused = await refusal(definitions.publish('lookup', 'placements', lookup([{ code: 'home', label: 'Home' }]), 'test'));
  expect(refused).toBeInstanceOf(ValidationError);
  expect(refused!.errors).toEqual([{
    path: '/items',
    message: 'The code "group" (Group home) is in the published lookup and documents may hold it: keep it with "retired": true instead of removing it',
  }]);
  expect((await definitions.latest('lookup', 'placements')).version).toBe(1);
});
