/** The document area: one screen, /documents/:id, loaded on demand (JSON Forms is large). */
import { lazy, Suspense } from 'react';
import CircularProgress from '@mui/material/CircularProgress';
import type { Area } from '../../App';

const DocumentScreen = lazy(() => import('./DocumentScreen').then((m) => ({ default: m.DocumentScreen })));

export const documentArea: Area = {
  routes: [
    {
      path: '/documents/:id',
      render: ({ id }) => (
        <Suspense fallback={<CircularProgress aria-label="Loading the document" />}>
          <DocumentScreen key={id} id={id} />
        </Suspense>
      ),
    },
  ],
};
