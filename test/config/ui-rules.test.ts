/**
 * The JSON Forms rules (what the screen shows or hides) must say what the schema rules say
 * (what submit requires): a hidden section is never required, a required field is never hidden.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/engine.js';

type Json = Record<string, any>;
const form = (key: string): Json => JSON.parse(readFileSync(path.join(repoRoot, `forms/${key}.form.json`), 'utf8'));

/** Every UI element (depth first, details included). */
function elements(node: Json, out: Json[] = []): Json[] {
  out.push(node);
  for (const child of node.elements ?? []) elements(child, out);
  if (node.options?.detail) elements(node.options.detail, out);
  return out;
}

/** The rule of the element whose scope or label is given. */
function ruleOf(uischema: Json, match: { scope?: string; label?: string }): Json | undefined {
  return elements(uischema).find((e) => (match.scope ? e.scope === match.scope : e.label === match.label))?.rule;
}

describe('UI rules mirror the schema rules', () => {
  it('referral: sections III-VI hide for an FRP-response-only referral, which the schema does not require', () => {
    const referral = form('csec-referral');
    const ongoingOnly = referral.schema.allOf.find((r: Json) => r.if.properties.referralType);
    expect(ongoingOnly.if.properties.referralType.const).toBe('Ongoing Advocacy Services');
    expect(ongoingOnly.then.required).toEqual(['whereabouts', 'serviceComponent', 'reason']);
    for (const label of ['III. Current Whereabouts', 'IV. Current Service Component', 'V. Reason for Referral', 'VI. Signatures']) {
      expect(ruleOf(referral.uischema, { label }), label).toEqual({
        effect: 'HIDE', condition: { scope: '#/properties/referralType', schema: { const: 'FRP Response Only' } },
      });
    }
    for (const label of ['I. Type of Referral', 'II. Case Information']) expect(ruleOf(referral.uischema, { label })).toBeUndefined();
  });

  it('referral: the other department\'s staff show exactly when the schema asks for them', () => {
    const referral = form('csec-referral');
    const dual = referral.schema.allOf.find((r: Json) => r.if.properties.dualSupervision);
    expect(dual.then).toEqual({ properties: { caseInfo: { required: ['dualStaff'] } } });
    expect(ruleOf(referral.uischema, { label: "Other Department's Staff (dual supervision)" })).toEqual({
      effect: 'SHOW', condition: { scope: '#/properties/dualSupervision', schema: dual.if.properties.dualSupervision },
    });
  });

  it('termination report: "efforts to engage" shows for the reasons that require it, "If No, Why?" for a goal not achieved', () => {
    const report = form('termination-report');
    const engage = report.schema.allOf.find((r: Json) => r.then.required?.includes('engagementEfforts'));
    expect(ruleOf(report.uischema, { scope: '#/properties/engagementEfforts' })).toEqual({
      effect: 'SHOW', condition: { scope: '#/properties/terminationReason', schema: engage.if.properties.terminationReason },
    });
    const goal = report.schema.properties.longTermGoals.items;
    expect(goal.then).toEqual({ required: ['whyNot'] });
    expect(ruleOf(report.uischema, { scope: '#/properties/whyNot' })).toEqual({
      effect: 'SHOW', condition: { scope: '#/properties/achieved', schema: goal.if.properties.achieved },
    });
  });

  it('computed fields are read-only on the screen', () => {
    for (const key of ['csec-referral', 'termination-report', 'restoration-funds-request', 'extension-request', 'advocate-activity']) {
      const content = form(key);
      for (const pointer of Object.keys(content.computed)) {
        const tokens = pointer.slice(1).split('/');
        if (tokens.includes('-')) continue; // list entries: shown in the list's table
        if (pointer === '/dateOfReferral') continue; // a default (today when left empty), not a computed value
        const scope = `#/properties/${tokens.join('/properties/')}`;
        const control = elements(content.uischema).find((e) => e.scope === scope);
        expect(control?.options?.readonly, `${key} ${pointer}`).toBe(true);
      }
    }
  });
});
