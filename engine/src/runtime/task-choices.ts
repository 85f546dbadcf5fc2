/**
 * The values a task's decisions may carry, resolved for the task's case: a lookup's items, or
 * the users a rule names (`users:<role> where <attribute> = /data/<field>`, `case:<role>`), so a
 * screen offers exactly what the process will accept.
 */
import type { Principal } from '../auth/principal.js';
import type { DefinitionService, LookupContent } from '../definitions/index.js';
import type { CaseRecord } from '../documents/case-service.js';
import { parseRule, type RecipientResolver } from '../notifications/recipients.js';
import type { Collection } from '../store/types.js';
import type { TaskService } from './task-service.js';

const LOOKUP = /^lookup:([a-z][a-z0-9-]{1,63})$/;

export interface TaskChoice {
  decision: string;
  name: string;
  /** What the value is (the lookup's title, or the users' role). */
  label: string;
  options: { value: string; label: string }[];
}

/** Why a source cannot be resolved, or null when it can (checked when a process is published). */
export function taskInputSourceError(source: string): string | null {
  if (LOOKUP.test(source)) return null;
  const rule = parseRule(source);
  if (typeof rule !== 'string' && (rule.kind === 'users' || rule.kind === 'case')) return null;
  return `"${source}" is not a source of values: use lookup:<key>, users:<role> [where <attribute> = <value or /data/field>] or case:<role>`;
}

export class TaskChoices {
  constructor(
    private readonly tasks: TaskService,
    private readonly definitions: DefinitionService,
    private readonly cases: Collection<CaseRecord>,
    private readonly resolver: RecipientResolver,
  ) {}

  /** The choices of a task the principal may act on (NotFound otherwise, as for the task). */
  async of(principal: Principal, taskId: string): Promise<TaskChoice[]> {
    const task = await this.tasks.get(principal, taskId);
    const record = task.caseId ? await this.cases.findOne({ _id: task.caseId }) : null;
    const choices: TaskChoice[] = [];
    for (const input of task.inputs ?? []) {
      const lookup = LOOKUP.exec(input.source);
      if (lookup) {
        const definition = await this.definitions.latest('lookup', lookup[1]).catch(() => null);
        const content = (definition?.content ?? {}) as Partial<LookupContent>;
        choices.push({
          decision: input.decision, name: input.name, label: content.title ?? input.name,
          options: (content.items ?? []).filter((i) => !i.retired).map((i) => ({ value: i.code, label: i.label })),
        });
        continue;
      }
      const rule = parseRule(input.source);
      if (typeof rule === 'string') continue;
      const { recipients } = await this.resolver.resolve([rule], record);
      choices.push({
        decision: input.decision, name: input.name, label: 'role' in rule ? rule.role : input.name,
        options: recipients.filter((r) => r.userId).map((r) => ({ value: r.userId!, label: r.name ?? r.email })),
      });
    }
    return choices;
  }
}
