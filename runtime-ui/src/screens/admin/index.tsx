/** The Admin area: user setup and lookups (and the monthly activity review where the configuration has it). */
import { useEffect } from 'react';
import type { Area } from '../../App';
import { navigate } from '../../app/router';
import { LookupsScreen } from './LookupsScreen';
import { UsersScreen } from './UsersScreen';
import { AdminTabs } from './AdminTabs';

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
  ],
};
