/**
 * The document screen's form helpers on real CTS definitions, without a browser: lookups as
 * labelled choices (retired codes only where held), the server's computed fields merged into what
 * is on the page, the HH:MM mask, and the browser's validation in draft and submit modes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/engine.js';
import type { LookupItem } from '../../engine/src/definitions/types.js';
import { applyLookupChoices, lookupKeys } from '../../runtime-ui/src/forms/lookups.js';
import { withServerComputed } from '../../runtime-ui/src/forms/computed.js';
import { pointerToPath, validateForm } from '../../runtime-ui/src/forms/validation.js';
import { HHMM_PATTERN, maskHhmm } from '../../runtime-ui/src/renderers/hhmm.js';

const json = async (file: string) => JSON.parse(await readFile(path.join(repoRoot, file), 'utf8'));

describe('lookups', () => {
  it('offers each code with its label and hides a retired code unless the document holds it', async () => {
    const form = await json('forms/advocate-activity.form.json');
    const types = (await json('forms/lookups/activity-types.lookup.json')).items as LookupItem[];
    expect(lookupKeys(form.schema)).toEqual(expect.arrayContaining(['activity-types', 'activity-subcategories', 'lead-agencies']));
    const retiredOne = types.map((t) => (t.code === 'Youth Workshop' ? { ...t, label: 'Youth Workshop (old)', retired: true } : t));
    const lookups = new Map([['activity-types', retiredOne]]);

    const fresh = applyLookupChoices(form.schema, lookups, {}) as any;
    const offered = fresh.properties.activityType.oneOf.map((o: any) => o.const);
    expect(offered).not.toContain('Youth Workshop');
    expect(offered).toContain('Advocacy');
    expect(fresh.properties.activityType.enum).toBeUndefined();

    const holding = applyLookupChoices(form.schema, lookups, { activityType: 'Youth Workshop' }) as any;
    expect(holding.properties.activityType.oneOf).toContainEqual({ const: 'Youth Workshop', title: 'Youth Workshop (old)' });
    // The form's own schema is untouched (validation uses it).
    expect(form.schema.properties.activityType.enum).toContain('Youth Workshop');
  });
});

describe('computed fields after a save', () => {
  it('takes the computed fields from the server and keeps what was typed meanwhile', async () => {
    const form = await json('forms/auxiliary-funds-request.form.json');
    const onPage = { justification: 'typed while saving', items: [{ item: 'Cleats', quantity: 2, projectedCost: 10.5 }, { item: 'Guards', quantity: 1 }] };
    const fromServer = { items: [{ item: 'Cleats', quantity: 2, projectedCost: 10.5, projectedTotal: 21 }, { item: 'Guards', quantity: 1, projectedTotal: 4 }], totalProjectedCost: 25 };
    const merged = withServerComputed(onPage, fromServer, form.computed);
    expect(merged).toEqual({
      justification: 'typed while saving',
      items: [{ item: 'Cleats', quantity: 2, projectedCost: 10.5, projectedTotal: 21 }, { item: 'Guards', quantity: 1, projectedTotal: 4 }],
      totalProjectedCost: 25,
    });
    // A computed field the server removed is removed on the page too.
    expect(withServerComputed({ totalActualCost: 3 }, {}, form.computed)).toEqual({});
  });
});

describe('HH:MM service units', () => {
  it('masks digits into hours and minutes the schema accepts', async () => {
    const form = await json('forms/advocate-activity.form.json');
    expect(form.schema.properties.serviceUnits.pattern).toBe(HHMM_PATTERN);
    expect(['1', '13', '130', '0130', '12:45', '1a3b0', '123456'].map(maskHhmm)).toEqual(['1', '13', '1:30', '01:30', '12:45', '1:30', '12:34']);
    expect(new RegExp(HHMM_PATTERN).test(maskHhmm('130'))).toBe(true);
  });
});

describe('validation in the browser', () => {
  it('lets a draft miss required fields but not break types, and lists everything on submit', async () => {
    const form = await json('forms/advocate-activity.form.json');
    const draft = validateForm('form:advocate-activity:test', form.schema, { serviceUnits: '1:75' }, 'draft');
    expect(draft).toEqual([{ path: '/serviceUnits', message: 'Service Units (HH:MM) is not in the expected form' }]);
    const submit = validateForm('form:advocate-activity:test', form.schema, {}, 'submit');
    expect(submit.map((e) => e.path)).toEqual(expect.arrayContaining(['/activityDate', '/activityType', '/narrative']));
    expect(pointerToPath('/items/0/projectedCost')).toBe('items.0.projectedCost');
  });
});
