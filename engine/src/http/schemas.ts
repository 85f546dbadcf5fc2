/** JSON Schemas shared by several routes (fastify validates and serialises with them). */
export const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;

const nullableDate = { type: ['string', 'null'], format: 'date' } as const;
const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;

export const fieldErrorsSchema = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

export const principalSchema = {
  type: 'object',
  properties: {
    userId: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    attributes: { type: 'object', additionalProperties: true },
  },
} as const;

/** Free-form JSON object data (a form's data), checked later against its form schema. */
export const formDataSchema = { type: 'object', additionalProperties: true } as const;

export const caseSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    caseType: { type: 'string' },
    caseTypeVersion: { type: 'integer' },
    number: { type: 'string' },
    status: { type: 'string' },
    data: formDataSchema,
    people: { type: 'array', items: { type: 'object', properties: { role: { type: 'string' }, userId: { type: 'string' } } } },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: { type: 'string' },
    version: { type: 'integer' },
  },
} as const;

export const documentSchema = {
  type: 'object',
  properties: {
    _id: { type: 'string' },
    caseId: { type: 'string' },
    form: { type: 'string' },
    formVersion: { type: 'integer' },
    stage: { type: 'string', enum: ['draft', 'submitted'] },
    status: { type: 'string' },
    data: formDataSchema,
    signature: {
      type: 'object',
      properties: { signerId: { type: 'string' }, signerName: { type: 'string' }, signedAt: { type: 'string', format: 'date-time' } },
    },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: { type: 'string' },
    submittedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
    /** On reading one document: whether the caller may change it now (a draft their roles may edit). */
    mayEdit: { type: 'boolean' },
    /** On reading one document: the name of who changed it last. */
    updatedByName: { type: 'string' },
    /** The deliverable the document fulfils (or would), when its case owes one of its form. */
    deliverable: {
      type: 'object',
      properties: { key: { type: 'string' }, title: { type: 'string' }, dueDate: nullableDate, status: { type: 'string' } },
    },
  },
} as const;

export const caseFileSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'integer' },
    uploadedAt: { type: 'string', format: 'date-time' },
    uploadedBy: { type: 'string' },
  },
} as const;

export const deliverableSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    title: { type: 'string' },
    form: { type: 'string' },
    status: { type: 'string', enum: ['upcoming', 'open', 'alert', 'overdue', 'completed', 'completed-late', 'not-required'] },
    optional: { type: 'boolean' },
    anchorDate: nullableDate,
    opensDate: nullableDate,
    alertDate: nullableDate,
    dueDate: nullableDate,
    opensAt: nullableInstant,
    alertAt: nullableInstant,
    overdueAt: nullableInstant,
    blockedBy: { type: ['string', 'null'] },
    completedAt: nullableInstant,
    completedDate: nullableDate,
    documentId: { type: ['string', 'null'] },
    problem: { type: ['string', 'null'] },
  },
} as const;

/** Per case in a list: the deliverables in task alert and overdue now. */
export const deliverableSummarySchema = {
  type: 'object',
  properties: { alerts: { type: 'integer' }, overdue: { type: 'integer' }, nextDueDate: nullableDate },
} as const;

/** A case in a list, with its deliverable summary. */
export const caseListItemSchema = {
  ...caseSchema,
  properties: { ...caseSchema.properties, deliverables: deliverableSummarySchema },
} as const;
