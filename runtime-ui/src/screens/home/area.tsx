/** The case work area: Home (search and listing), one case with its tabs, and the tasks inbox. */
import { lazy, Suspense } from 'react';
import CircularProgress from '@mui/material/CircularProgress';
import type { Area } from '../../App';
import { TaskBadge, TasksScreen } from '../tasks/TasksScreen';
import { HomeScreen } from './HomeScreen';

// The case screen renders forms (JSON Forms with the material renderers): loaded when first opened.
const CaseScreen = lazy(() => import('../case/CaseScreen').then((m) => ({ default: m.CaseScreen })));

export const caseWorkArea: Area = {
  nav: [{ to: '/', label: 'Home' }, { to: '/tasks', label: 'Tasks', badge: TaskBadge }],
  routes: [
    { path: '/', render: () => <HomeScreen /> },
    { path: '/tasks', render: () => <TasksScreen /> },
    { path: '/cases/:id', render: ({ id }) => <Suspense fallback={<CircularProgress aria-label="Loading" />}><CaseScreen key={id} id={id} /></Suspense> },
  ],
};
