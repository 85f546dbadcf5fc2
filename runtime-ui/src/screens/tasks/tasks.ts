/** The caller's open tasks (GET /api/tasks), shared by the inbox, the home screen and the menu badges. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';

export interface TaskRecord {
  _id: string;
  caseId?: string;
  documentId?: string;
  activityId: string;
  name: string;
  dueAt: string | null;
  form?: string;
  decisions: string[];
  reasonRequiredOn: string[];
  inputs?: { decision: string; name: string; source: string }[];
  status: string;
  assignee: string | null;
  assigneeName?: string;
  createdAt: string;
  version: number;
}

const listeners = new Set<() => void>();
const REFRESH_MS = 60_000;

/** Tells every task list (and the badges) to load again, after a decision. */
export function tasksChanged() {
  listeners.forEach((l) => l());
}

/** Calls `fn` after each decision (e.g. a list of cases whose statuses the decision changed). */
export function useTasksChanged(fn: () => void) {
  useEffect(() => {
    listeners.add(fn);
    return () => { listeners.delete(fn); };
  }, [fn]);
}

export function useTasks(): { tasks: TaskRecord[] | null; error: unknown; reload: () => void } {
  const [tasks, setTasks] = useState<TaskRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    api.get<TaskRecord[]>('/api/tasks').then((t) => { setTasks(t); setError(null); }, setError);
  }, []);
  useEffect(() => {
    reload();
    listeners.add(reload);
    // New work arrives from other people: load again on every navigation in the app (also a click
    // on Tasks while on it), when the window comes back to the front, and every minute meanwhile.
    const whenVisible = () => { if (document.visibilityState === 'visible') reload(); };
    window.addEventListener('popstate', reload);
    window.addEventListener('focus', reload);
    document.addEventListener('visibilitychange', whenVisible);
    const timer = window.setInterval(whenVisible, REFRESH_MS);
    return () => {
      listeners.delete(reload);
      window.removeEventListener('popstate', reload);
      window.removeEventListener('focus', reload);
      document.removeEventListener('visibilitychange', whenVisible);
      window.clearInterval(timer);
    };
  }, [reload]);
  return { tasks, error, reload };
}

export const isOverdue = (task: Pick<TaskRecord, 'dueAt'>, now = Date.now()) => !!task.dueAt && new Date(task.dueAt).getTime() < now;

/** "approve" -> "Approve". */
export const decisionLabel = (decision: string) => decision.charAt(0).toUpperCase() + decision.slice(1);
