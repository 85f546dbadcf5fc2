/** The built-in validation of each kind of definition. */
import { validateProcessContent } from './bpmn-validation.js';
import { validateCaseTypeContent } from './case-type-validation.js';
import { validateFormContent } from './form-validation.js';
import { validateLookupContent } from './lookup-validation.js';
import { validateTemplateContent } from '../notifications/template.js';
import { validateCalendarConfig } from '../runtime/time/calendar.js';
import type { DefinitionKind, ValidationOutcome } from './types.js';

export async function validateContent(kind: DefinitionKind, content: unknown): Promise<ValidationOutcome> {
  switch (kind) {
    case 'form':
      return { errors: validateFormContent(content), warnings: [] };
    case 'caseType':
      return { errors: validateCaseTypeContent(content), warnings: [] };
    case 'lookup':
      return { errors: validateLookupContent(content), warnings: [] };
    case 'process':
      return validateProcessContent(content);
    case 'template':
      return { errors: validateTemplateContent(content), warnings: [] };
    case 'calendar':
      return { errors: validateCalendarConfig(content), warnings: [] };
  }
}
