/** The Admin area's own menu: one tab per admin screen, each a link (keyboard and back button work). */
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { Link } from '../../app/router';

export const ADMIN_SCREENS = [
  { to: '/admin/users', label: 'User Setup' },
  { to: '/admin/lookups', label: 'Lookups' },
];

export function AdminTabs({ current, children }: { current: string; children: ReactNode }) {
  return (
    <>
      <Box component="nav" aria-label="Admin" sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={current} variant="scrollable" allowScrollButtonsMobile>
          {ADMIN_SCREENS.map((s) => <Tab key={s.to} value={s.to} label={s.label} component={Link} to={s.to} aria-current={s.to === current ? 'page' : undefined} />)}
        </Tabs>
      </Box>
      {children}
    </>
  );
}
