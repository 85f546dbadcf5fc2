/** Published definitions: forms, case types, processes and lookups, versioned and immutable. */
export { DefinitionService, DEFINITIONS_COLLECTION, type DefinitionServiceOptions } from './service.js';
export { loadDefinitionsFromDisk, type LoadOptions, type LoadReport } from './loader.js';
export { collectFields, diffFields, COMPARED_ATTRIBUTES } from './form-diff.js';
export { canonicalJson, contentHash } from './canonical-hash.js';
export { createAjv } from './json-schema-validation.js';
export { schemaAtDataPointer } from './schema-navigation.js';
export { lookupReferenceCheck, LOOKUP_KEYWORD } from './lookup-references.js';
export { lookupVersionCheck } from './lookup-versions.js';
export {
  DEFINITION_KINDS, FORM_KINDS, KEY_PATTERN, isDefinitionKind, isFormKind,
  type BpmnProblem, type CaseTypeContent, type CheckContext, type CheckOutcome, type Definition,
  type DefinitionCheck, type DefinitionKind, type DefinitionSummary, type FieldChange, type FieldInfo,
  type FormContent, type FormDiff, type FormKind, type LookupContent, type LookupItem,
  type ProcessContent, type PublishResult, type ValidationOutcome, type VisibilityRule,
} from './types.js';
