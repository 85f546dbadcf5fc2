/** Activity documents for the period-review tests: an advocate logs (creates, fills, signs and submits) one on a case. */
import { expect } from 'vitest';
import type { Client } from './engine.js';

export interface ActivityInput {
  date: string;
  type: string;
  subcategory: string[];
  units: string;
}

export async function logActivity(advocate: Client, signer: string, caseId: string, a: ActivityInput): Promise<string> {
  const created = await advocate.post(`/api/cases/${caseId}/documents`, { form: 'advocate-activity' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const data = {
    ...created.body.data,
    activityDate: a.date, activityType: a.type, subcategory: a.subcategory, serviceUnits: a.units,
    narrative: 'Met as planned.', signedUp: 1, participants: 1, isAttempted: true, isCompleted: true,
  };
  const submitted = await advocate.post(`/api/documents/${created.body._id}/submit`, { version: created.body.version, data, signature: { name: signer } });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return created.body._id;
}
