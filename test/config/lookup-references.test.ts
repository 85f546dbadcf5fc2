/**
 * Forms name the lookup a drop-down comes from with `"x-lookup": "<lookup key>"` beside an
 * `enum` of its codes. These checks keep the two in step: a lookup changed without its forms
 * (or the reverse) fails here, before anything is published.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/engine.js';

type Json = Record<string, any>;
const read = (file: string): Json => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8'));
const lookupFiles = readdirSync(path.join(repoRoot, 'forms/lookups')).filter((f) => f.endsWith('.lookup.json'));
const lookups = new Map(lookupFiles.map((f) => [f.slice(0, -'.lookup.json'.length), read(`forms/lookups/${f}`)]));
const forms = readdirSync(path.join(repoRoot, 'forms')).filter((f) => f.endsWith('.form.json') || f.endsWith('.case.json'));
const activeCodes = (key: string): string[] => lookups.get(key)!.items.filter((i: Json) => !i.retired).map((i: Json) => i.code);

/** Every subschema naming a lookup, with its pointer. */
function references(node: unknown, at: string, out: { at: string; node: Json }[] = []) {
  if (Array.isArray(node)) node.forEach((child, i) => references(child, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    if (typeof (node as Json)['x-lookup'] === 'string') out.push({ at, node: node as Json });
    for (const [key, child] of Object.entries(node)) references(child, `${at}/${key}`, out);
  }
  return out;
}

describe('lookup references in forms', () => {
  it('finds the references', () => {
    const all = forms.flatMap((f) => references(read(`forms/${f}`).schema, '/schema'));
    expect(all.length).toBeGreaterThan(30);
  });

  for (const file of forms) {
    it(`${file}: each x-lookup names a lookup and lists exactly its active codes`, () => {
      for (const { at, node } of references(read(`forms/${file}`).schema, '/schema')) {
        const key = node['x-lookup'];
        expect(lookups.has(key), `${file}${at}: no lookup "${key}"`).toBe(true);
        expect(node.enum, `${file}${at}`).toEqual(activeCodes(key));
      }
    });
  }

  it('ties each activity type to the subcategories the lookup gives it', () => {
    const activity = read('forms/advocate-activity.form.json').schema;
    const types = activeCodes('activity-types');
    const subcategories = lookups.get('activity-subcategories')!.items as Json[];
    for (const item of subcategories) expect(types, `subcategory ${item.code}`).toEqual(expect.arrayContaining(item.types));
    const rules = new Map<string, string[]>(activity.allOf.map((r: Json) => [r.if.properties.activityType.const, r.then.properties.subcategory.items.enum]));
    expect([...rules.keys()].sort()).toEqual([...types].sort());
    for (const type of types) {
      expect(rules.get(type), type).toEqual(subcategories.filter((s) => !s.retired && s.types.includes(type)).map((s) => s.code));
    }
  });

  it('asks for efforts to engage for exactly the termination reasons that require them', () => {
    const report = read('forms/termination-report.form.json').schema;
    const rule = report.allOf.find((r: Json) => r.then?.required?.includes('engagementEfforts'));
    const flagged = lookups.get('termination-reasons')!.items.filter((i: Json) => i.requiresEngagementEfforts).map((i: Json) => i.code);
    expect(rule.if.properties.terminationReason.enum).toEqual(flagged);
    expect(flagged).toEqual(['Ran Away', 'Refused Services']);
  });
});
