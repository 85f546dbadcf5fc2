/**
 * CTS assignments and their documents as store records, for the data generator and the report
 * tests: written straight to the store (no forms, signatures or processes), with each case's
 * deliverable records computed by the engine's DeliverableService from what was written.
 */
import { newId } from '../src/store/ids.js';
import type { EngineServices } from '../src/services.js';
import type { CaseRecord } from '../src/documents/case-service.js';
import type { DocumentRecord } from '../src/documents/document-service.js';

export interface AssignmentSpec {
  number: string;
  agency: string;
  leadAgency?: 'DCFS' | 'Probation';
  referralType?: 'FRP Response Only' | 'Ongoing Advocacy Services';
  assignmentDate: string;
  terminationDate?: string;
  /** The lead department's office (dcfsOffice or probationOffice). */
  office?: string;
  youthFirstName?: string;
  youthLastName?: string;
  status?: string;
  people?: { role: string; userId: string }[];
  createdBy?: string;
}

export function assignmentRecord(spec: AssignmentSpec, at: Date): CaseRecord {
  const data: Record<string, unknown> = {
    referralNumber: `R-${spec.number}`, referralType: spec.referralType ?? 'Ongoing Advocacy Services',
    youthFirstName: spec.youthFirstName ?? 'Youth', youthLastName: spec.youthLastName ?? spec.number,
    dob: '2010-01-01', language: 'English', leadAgency: spec.leadAgency ?? 'DCFS', dualSupervision: false,
    advocacyAgency: spec.agency, assignmentDate: spec.assignmentDate,
    ...(spec.terminationDate ? { terminationDate: spec.terminationDate } : {}),
    ...(spec.office ? { [spec.leadAgency === 'Probation' ? 'probationOffice' : 'dcfsOffice']: spec.office } : {}),
  };
  return {
    _id: newId(), caseType: 'assignment', caseTypeVersion: 1, number: spec.number,
    status: spec.status ?? (spec.terminationDate ? 'Terminated' : 'Active'), data, people: spec.people ?? [],
    createdAt: at, createdBy: spec.createdBy ?? 'generator', updatedAt: at, updatedBy: spec.createdBy ?? 'generator', version: 1,
  };
}

export interface DocumentSpec {
  form: string;
  data: Record<string, unknown>;
  /** When it was submitted; a draft without. */
  submittedAt?: Date;
  createdBy?: string;
  status?: string;
}

export function documentRecord(caseRecord: CaseRecord, spec: DocumentSpec, at: Date): DocumentRecord {
  const youth = { assignmentNumber: caseRecord.number, advocacyAgency: caseRecord.data.advocacyAgency, leadAgency: caseRecord.data.leadAgency };
  const data = { ...spec.data, youth: { ...youth, ...(spec.data.youth as object | undefined) } };
  const by = spec.createdBy ?? 'generator';
  return {
    _id: newId(), caseId: caseRecord._id, form: spec.form, formVersion: 1,
    stage: spec.submittedAt ? 'submitted' : 'draft', status: spec.status ?? (spec.submittedAt ? 'Submitted' : 'In Progress'), data,
    createdAt: at, createdBy: by, updatedAt: spec.submittedAt ?? at, updatedBy: by,
    ...(spec.submittedAt ? { submittedAt: spec.submittedAt } : {}), version: 1,
  };
}

/** Writes cases and documents in batches and stores each case's deliverables as the engine plans them. */
export async function storeAssignments(services: EngineServices, cases: CaseRecord[], documents: DocumentRecord[]): Promise<void> {
  const byCase = new Map<string, DocumentRecord[]>();
  for (const doc of documents) {
    if (!byCase.has(doc.caseId)) byCase.set(doc.caseId, []);
    byCase.get(doc.caseId)!.push(doc);
  }
  const rules = await services.deliverables.rulesFor('assignment');
  const batch = 2000;
  for (let i = 0; i < cases.length; i += batch) await services.cases.cases.insertMany(cases.slice(i, i + batch));
  for (let i = 0; i < documents.length; i += batch) await services.documents.documents.insertMany(documents.slice(i, i + batch));
  let pending: ReturnType<typeof services.deliverables.planWith> = [];
  for (const caseRecord of cases) {
    const submitted = (byCase.get(caseRecord._id) ?? []).filter((d) => d.submittedAt)
      .sort((a, b) => a.submittedAt!.getTime() - b.submittedAt!.getTime());
    pending.push(...services.deliverables.planWith(caseRecord, rules, submitted));
    if (pending.length >= batch) {
      await services.deliverables.records.insertMany(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await services.deliverables.records.insertMany(pending);
}
