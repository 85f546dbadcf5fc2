/** What the document screen reads from the engine. */
export interface DocumentRecord {
  _id: string;
  caseId: string;
  form: string;
  formVersion: number;
  stage: 'draft' | 'submitted';
  status: string;
  data: Record<string, any>;
  signature?: { signerId: string; signerName: string; signedAt: string };
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  updatedByName?: string;
  submittedAt?: string;
  version: number;
  mayEdit?: boolean;
  deliverable?: { key: string; title: string; dueDate: string | null; status: string };
}

export interface FormDefinition {
  key: string;
  version: number;
  content: { title: string; description?: string; schema: object; uischema?: object; computed?: Record<string, string> };
}

export interface HistoryTask {
  _id: string;
  name: string;
  status: string;
  createdAt: string;
  dueAt: string | null;
  assigneeName?: string;
  completedAt?: string;
  completedByName?: string;
  decision?: string;
  reason?: string;
}

export interface DocumentHistory {
  instances: { _id: string; processKey: string; status: string; startedAt: string; endedAt?: string }[];
  tasks: HistoryTask[];
}

/** A save or submit refused because someone else changed the document meanwhile. */
export interface Conflict {
  message: string;
  latest: DocumentRecord;
}
