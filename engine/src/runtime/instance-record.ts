/** How a process instance is stored: a summary for queries, engine state, and history beside it. */
import type { PendingTimer } from './durable-timers.js';
import type { StepEvent, WaitingActivity } from './live-instance.js';

export type InstanceStatus = 'running' | 'completed';

export interface InstanceRecord {
  _id: string;
  processKey: string;
  processVersion: number;
  caseId?: string;
  documentId?: string;
  status: InstanceStatus;
  variables: Record<string, unknown>;
  /**
   * bpmn-engine's getState() without the parsed BPMN (restored from the published version), as
   * JSON text: the store keeps it as one opaque value instead of walking a large object tree on
   * every step.
   */
  state: string | null;
  waiting: WaitingActivity[];
  timers: PendingTimer[];
  /** Earliest timer due, for the scheduler's query; null when none. */
  nextTimerAt: Date | null;
  /** Last firing of each repeating timer (by activity id), so cycles continue from it. */
  timerFired: Record<string, Date>;
  /** Entries in the instance's history (the `instanceHistory` collection), numbered from 0. */
  historyCount: number;
  startedAt: Date;
  startedBy: string;
  updatedAt: Date;
  endedAt?: Date;
  /** Optimistic concurrency: every saved step increments it. */
  version: number;
}

/** One history entry as stored: append-only, one document per event. */
export interface HistoryRecord extends StepEvent {
  _id: string;
  instanceId: string;
  seq: number;
}

/** An instance with its history, as the API returns it. */
export interface InstanceView extends InstanceRecord {
  history: StepEvent[];
}

export const HISTORY_COLLECTION = 'instanceHistory';

/** History documents for events appended after `count` earlier ones. */
export function historyRecords(instanceId: string, count: number, events: StepEvent[]): HistoryRecord[] {
  return events.map((event, i) => ({ ...event, _id: `${instanceId}:${String(count + i).padStart(8, '0')}`, instanceId, seq: count + i }));
}
