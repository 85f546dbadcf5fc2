/** Documents of a case (GET /api/cases/:id/documents) and, for some, their data. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';

export interface DocumentItem {
  _id: string;
  form: string;
  formVersion: number;
  stage: 'draft' | 'submitted';
  status: string;
  data?: Record<string, any>;
  createdAt: string;
  submittedAt?: string;
  version: number;
  deliverable?: { key: string; title: string; dueDate: string | null; status: string };
}

/** The case's documents, with data for those of `withDataOf` (one read each). */
export function useCaseDocuments(caseId: string, withDataOf?: string) {
  const [documents, setDocuments] = useState<DocumentItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      const list = await api.get<DocumentItem[]>(`/api/cases/${caseId}/documents`);
      const full = await Promise.all(list.map((d) => (withDataOf && d.form === withDataOf ? api.get<DocumentItem>(`/api/documents/${d._id}`) : Promise.resolve(d))));
      setDocuments(full);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [caseId, withDataOf]);
  useEffect(() => { void reload(); }, [reload]);
  return { documents, error, reload };
}

/** Starts a draft of a form on the case; the new document. */
export function startDocument(caseId: string, form: string): Promise<DocumentItem> {
  return api.post<DocumentItem>(`/api/cases/${caseId}/documents`, { form });
}
