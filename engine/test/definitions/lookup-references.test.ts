import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { DefinitionService, lookupReferenceCheck } from '../../src/definitions/index.js';
import { validLookup } from './fixtures.js';
import { openTestStore } from './test-store.js';

let close: () => Promise<void>;
let service: DefinitionService;

beforeEach(async () => {
  const opened = await openTestStore();
  close = opened.close;
  service = new DefinitionService(opened.store);
  service.addCheck('form', lookupReferenceCheck(service));
  await service.publish('lookup', 'languages', validLookup(), 'ada');
});
afterEach(() => close());

const form = (language: Record<string, unknown>) => ({
  title: 'Intake',
  schema: {
    type: 'object',
    properties: {
      language,
      spoken: { type: 'array', items: { type: 'string', enum: ['en'], 'x-lookup': 'languages' } },
    },
  },
  uischema: { type: 'Control', scope: '#/properties/language' },
});

async function refusal(content: unknown) {
  const error = await service.publish('form', 'intake', content, 'ada').then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
}

describe('lookup references (x-lookup)', () => {
  it('publishes a form whose enums offer the codes of the lookups they name, warning of codes left out', async () => {
    const result = await service.publish('form', 'intake', form({ type: 'string', enum: ['en', 'es'], 'x-lookup': 'languages' }), 'ada');
    expect(result.created).toBe(true);
    expect(result.warnings).toEqual([{ path: '/schema/properties/spoken/items/enum', message: 'The lookup "languages" also has es, which this field does not offer' }]);
  });

  it('refuses a code the lookup does not have, a lookup that does not exist and a reference without an enum', async () => {
    expect(await refusal(form({ type: 'string', enum: ['en', 'fr'], 'x-lookup': 'languages' }))).toEqual([
      { path: '/schema/properties/language/enum', message: '"fr" is not a code of the lookup "languages"' },
    ]);
    expect(await refusal(form({ type: 'string', enum: ['en'], 'x-lookup': 'tongues' }))).toEqual([
      { path: '/schema/properties/language/x-lookup', message: expect.stringContaining('There is no lookup "tongues"') },
    ]);
    expect(await refusal(form({ type: 'string', 'x-lookup': 'languages' }))).toEqual([
      { path: '/schema/properties/language/enum', message: expect.stringContaining('lists its codes in "enum"') },
    ]);
  });

  it('warns of a retired code still offered', async () => {
    const result = await service.publish('form', 'intake', form({ type: 'string', enum: ['en', 'es', 'xx'], 'x-lookup': 'languages' }), 'ada');
    expect(result.warnings).toContainEqual({ path: '/schema/properties/language/enum', message: 'The lookup "languages" has retired xx' });
  });
});
