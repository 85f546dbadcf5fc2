/** How a process instance is stored: engine state, a summary for queries, history. */
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
  /** bpmn-engine's getState() without the parsed BPMN (restored from the published version). */
  state: unknown;
  waiting: WaitingActivity[];
  timers: PendingTimer[];
  /** Earliest timer due, for the scheduler's query; null when none. */
  nextTimerAt: Date | null;
  /** Last firing of each repeating timer (by activity id), so cycles continue from it. */
  timerFired: Record<string, Date>;
  history: StepEvent[];
  startedAt: Date;
  startedBy: string;
  updatedAt: Date;
  endedAt?: Date;
  /** Optimistic concurrency: every saved step increments it. */
  version: number;
}
