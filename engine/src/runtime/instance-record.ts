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
  startedAt: Date;
  startedBy: string;
  updatedAt: Date;
  endedAt?: Date;
  /** Optimistic concurrency: every saved step increments it. */
  version: number;
}

/** The history of one saved step as stored: append-only, keyed by the version the step saved. */
export interface HistoryRecord {
  _id: string;
  instanceId: string;
  version: number;
  events: StepEvent[];
}

/** An instance with its history, as the API returns it. */
export interface InstanceView extends InstanceRecord {
  history: StepEvent[];
}

export const HISTORY_COLLECTION = 'instanceHistory';

/** The history record of the step that saved `version` of an instance. */
export function historyRecord(instanceId: string, version: number, events: StepEvent[]): HistoryRecord {
  return { _id: `${instanceId}:${String(version).padStart(8, '0')}`, instanceId, version, events };
}
