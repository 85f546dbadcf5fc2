/**
 * Which cases a principal may see, expressed as a store filter so that every list,
 * search and lookup applies it inside the query rather than filtering results afterwards.
 */
import { hasAnyRole, type Principal } from '../auth/principal.js';
import type { Filter } from '../store/types.js';
import type { CaseTypeContent, DefinitionService } from '../definitions/index.js';

export class CaseAccess {
  constructor(private readonly definitions: DefinitionService) {}

  async visibilityFilter(principal: Principal): Promise<Filter> {
    const caseTypes = await this.definitions.list('caseType');
    const readAll = caseTypes
      .filter((t) => hasAnyRole(principal, (t.content as CaseTypeContent).readAllRoles))
      .map((t) => t.key);
    const clauses: Filter[] = [{ 'people.userId': principal.userId }, { createdBy: principal.userId }];
    if (readAll.length > 0) clauses.push({ caseType: { $in: readAll } });
    return { $or: clauses };
  }
}
