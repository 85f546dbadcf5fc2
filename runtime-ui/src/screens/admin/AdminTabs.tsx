/** The Admin area's own menu: one tab per admin screen, each a link (keyboard and back button work). */
import { useEffect, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { api } from '../../api/client';
import { Link } from '../../app/router';

export const ADMIN_SCREENS = [
  { to: '/admin/users', label: 'User Setup' },
  { to: '/admin/lookups', label: 'Lookups' },
];

/** The monthly reviews the user does, read once (each becomes a tab). */
let reviews: Promise<{ key: string; title: string }[]> | undefined;

export function AdminTabs({ current, children }: { current: string; children: ReactNode }) {
  const [screens, setScreens] = useState(ADMIN_SCREENS);
  useEffect(() => {
    reviews ??= api.get<{ key: string; title: string }[]>('/api/period-reviews').catch(() => []);
    void reviews.then((list) => setScreens([...ADMIN_SCREENS, ...list.map((r) => ({ to: `/admin/reviews/${r.key}`, label: r.title }))]));
  }, []);
  return (
    <>
      <Box component="nav" aria-label="Admin" sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={screens.some((s) => s.to === current) ? current : false} variant="scrollable" allowScrollButtonsMobile>
          {screens.map((s) => <Tab key={s.to} value={s.to} label={s.label} component={Link} to={s.to} aria-current={s.to === current ? 'page' : undefined} />)}
        </Tabs>
      </Box>
      {children}
    </>
  );
}
