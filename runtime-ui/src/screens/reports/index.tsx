/** The Reports area: Management Reports, loaded only when opened (its own chunk). */
import { lazy, Suspense } from 'react';
import CircularProgress from '@mui/material/CircularProgress';
import type { Area } from '../../App';

const ReportsScreen = lazy(() => import('./ReportsScreen'));

export const reportsArea: Area = {
  nav: [{ to: '/reports', label: 'Reports' }],
  routes: [
    { path: '/reports', render: () => <Suspense fallback={<CircularProgress aria-label="Loading reports" />}><ReportsScreen /></Suspense> },
  ],
};
