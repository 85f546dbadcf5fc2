/** The Admin area: user setup, lookups, and the monthly reviews the configuration gives the user (CTS: Master Activity). */
import { useEffect } from 'react';
import type { Area } from '../../App';
import { navigate } from '../../app/router';
import { LookupsScreen } from './LookupsScreen';
import { UsersScreen } from './UsersScreen';
import { AdminTabs } from './AdminTabs';
import { PeriodReviewScreen } from './PeriodReviewScreen';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export const adminArea: Area = {
  nav: [{ to: '/admin', label: 'Admin', when: (p) => !!p.managesAccounts }],
  routes: [
    { path: '/admin', render: () => <Redirect to="/admin/users" /> },
    { path: '/admin/users', render: () => <AdminTabs current="/admin/users"><UsersScreen /></AdminTabs> },
    { path: '/admin/lookups', render: () => <AdminTabs current="/admin/lookups"><LookupsScreen /></AdminTabs> },
    { path: '/admin/reviews/:key', render: ({ key }) => <AdminTabs current={`/admin/reviews/${key}`}><PeriodReviewScreen key={key} reviewKey={key} /></AdminTabs> },
  ],
};
