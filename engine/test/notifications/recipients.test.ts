import { describe, expect, it } from 'vitest';
import { parseInboxes } from '../../src/notifications/inboxes.js';
import { parseRules } from '../../src/notifications/recipients.js';

describe('recipient rules', () => {
  it('reads each kind of rule from a list or a comma-separated string', () => {
    const { rules, errors } = parseRules('case:CSW, users:Agency Admin where agency = /data/advocacyAgency, inbox:dcfs-csec, user:u1, users:CPM', '/to');
    expect(errors).toEqual([]);
    expect(rules).toEqual([
      { kind: 'case', role: 'CSW' },
      { kind: 'users', role: 'Agency Admin', where: { attribute: 'agency', value: '/data/advocacyAgency' } },
      { kind: 'inbox', name: 'dcfs-csec' },
      { kind: 'user', id: 'u1' },
      { kind: 'users', role: 'CPM' },
    ]);
    expect(parseRules(['case:SCSW'], '/cc').rules).toEqual([{ kind: 'case', role: 'SCSW' }]);
    expect(parseRules(undefined, '/cc')).toEqual({ rules: [], errors: [] });
  });

  it('refuses what is not a rule, naming it', () => {
    expect(parseRules('someone@example.org', '/to').errors).toEqual([
      { path: '/to', message: expect.stringContaining('"someone@example.org" is not a recipient rule') },
    ]);
    expect(parseRules(42, '/to').errors).toHaveLength(1);
    expect(parseRules(['case:CSW', 7], '/to').errors).toHaveLength(1);
  });
});

describe('configured inboxes', () => {
  it('reads names and addresses, and refuses a malformed address at configuration time', () => {
    const inboxes = parseInboxes({ inboxes: { 'dcfs-csec': { address: 'csec@example.org', name: 'CSEC' } } }, 'inboxes.json');
    expect(inboxes.get('dcfs-csec')).toEqual({ email: 'csec@example.org', name: 'CSEC' });
    expect(() => parseInboxes({ inboxes: { x: { address: 'not an address' } } }, 'inboxes.json')).toThrow('inboxes.json: inbox "x" has no valid address (got "not an address")');
    expect(() => parseInboxes({ inboxes: { x: { address: 'a@b@example.org' } } }, 'f')).toThrow(/inbox "x"/);
    expect(() => parseInboxes({ inboxes: { 'Bad Name': { address: 'a@example.org' } } }, 'f')).toThrow(/must be lower-case/);
    expect(() => parseInboxes([], 'f')).toThrow(/expected/);
  });
});
