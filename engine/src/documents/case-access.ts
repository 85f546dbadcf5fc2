/**
 * Which cases a principal may see, expressed as a store filter so that every list, search,
 * lookup, report and download applies it inside the query rather than filtering afterwards.
 *
 * A case type's `visibility` maps each user role to rules (any one suffices):
 *   { "holdsRole": "Worker" }                       the user holds that role on the case ("*": any role)
 *   { "createdByMe": true }                         the user opened the case
 *   { "caseField": "data.office", "equalsAttribute": "office" }   a case field equals the user's attribute
 *   { "caseField": "data.dualSupervision", "equals": true }       a case field has a fixed value
 *   { "personWithRole": "Worker", "sameAttribute": "unit" }       someone holding that role on the case
 *                                                                 shares the user's attribute (e.g. unit)
 *   { "all": true }                                 every case of the type
 * A role without rules sees nothing of that type. Without `visibility`, people see the cases
 * they hold a role on or opened.
 */
import type { Principal } from '../auth/principal.js';
import { ForbiddenError } from '../errors.js';
import type { UserRecord } from '../auth/users.js';
import type { CaseTypeContent, DefinitionService, VisibilityRule } from '../definitions/index.js';
import type { Collection, Filter } from '../store/types.js';

const NOTHING: Filter = { _id: { $in: [] } };

/**
 * Indexes the clauses of a case type's visibility rules are found through, beside the cases'
 * own indexes on `people.userId` (holdsRole, personWithRole) and `createdBy` (createdByMe):
 * (caseType, field) for each case field a rule compares, so that a role with several rules is
 * listed from the union of its clauses' index entries rather than from every case.
 */
export function visibilityIndexes(visibility: CaseTypeContent['visibility']): Record<string, 1>[] {
  const fields = new Set(Object.values(visibility ?? {}).flat().flatMap((rule) => ('caseField' in rule ? [rule.caseField] : [])));
  return [...fields].map((field) => ({ caseType: 1 as const, [field]: 1 as const }));
}

export class CaseAccess {
  constructor(
    private readonly definitions: DefinitionService,
    private readonly users: Collection<UserRecord>,
  ) {}

  private async clause(principal: Principal, rule: VisibilityRule): Promise<Filter> {
    if ('all' in rule) return {};
    if ('createdByMe' in rule) return { createdBy: principal.userId };
    if ('holdsRole' in rule) {
      return rule.holdsRole === '*'
        ? { 'people.userId': principal.userId }
        : { people: { $elemMatch: { role: rule.holdsRole, userId: principal.userId } } };
    }
    if ('equalsAttribute' in rule) {
      const mine = principal.attributes[rule.equalsAttribute];
      return mine === undefined || mine === null || mine === '' ? NOTHING : { [rule.caseField]: mine };
    }
    if ('equals' in rule) return { [rule.caseField]: rule.equals };
    // personWithRole + sameAttribute: the colleagues sharing my attribute, found in the store.
    const mine = principal.attributes[rule.sameAttribute];
    if (mine === undefined || mine === null || mine === '') return NOTHING;
    const colleagues = await this.users.find({ roles: rule.personWithRole, [`attributes.${rule.sameAttribute}`]: mine }, { projection: { _id: 1 } });
    return { people: { $elemMatch: { role: rule.personWithRole, userId: { $in: colleagues.map((c) => c._id) } } } };
  }

  /**
   * May the principal do `action` (e.g. `createDocument:intake`, `editCase:/summary`, `uploadFile`) on a case they
   * can see? Refuses with 403 naming the action; the case's type decides, by role.
   */
  async assertMay(principal: Principal, caseRecord: { caseType: string }, action: string): Promise<void> {
    const caseType = (await this.definitions.latest('caseType', caseRecord.caseType)).content as CaseTypeContent;
    if (!caseType.permissions) return;
    const [verb, object] = action.split(':');
    const granted = principal.roles.flatMap((role) => caseType.permissions?.[role] ?? []);
    if (granted.includes(action) || (object && granted.includes(`${verb}:*`))) return;
    const what = {
      createDocument: `start a ${object} document`, editDocument: `change a ${object} document`, uploadFile: 'upload files',
      editCase: `change ${object?.slice(1)}`,
    }[verb] ?? action;
    throw new ForbiddenError(`Your role may not ${what} on this ${caseType.title}.`);
  }

  async visibilityFilter(principal: Principal): Promise<Filter> {
    const clauses: Filter[] = [];
    for (const caseType of await this.definitions.list('caseType')) {
      const visibility = (caseType.content as CaseTypeContent).visibility;
      const rules = visibility
        ? principal.roles.flatMap((role) => visibility[role] ?? [])
        : [{ holdsRole: '*' }, { createdByMe: true } as VisibilityRule];
      for (const rule of rules) clauses.push({ caseType: caseType.key, ...(await this.clause(principal, rule as VisibilityRule)) });
    }
    return clauses.length > 0 ? { $or: clauses } : NOTHING;
  }
}
