/** The frame of every signed-in screen: a top bar with the main places, the user and sign-out. */
import type { ComponentType, ReactNode } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { Link, useLocation } from './router';
import { useSession, type Principal } from './session';

export interface NavItem {
  to: string;
  label: string;
  /** Shown only to these roles (everyone when absent). */
  roles?: string[];
  /** Shown only when this says so of the signed-in user (e.g. a flag of the session). */
  when?: (principal: Principal) => boolean;
  /** Counts shown after the label (e.g. open tasks). */
  badge?: ComponentType;
}

export function AppShell({ nav, children }: { nav: NavItem[]; children: ReactNode }) {
  const session = useSession();
  const { path } = useLocation();
  const visible = nav.filter((item) => (!item.roles || session.hasRole(...item.roles)) && (!item.when || (!!session.principal && item.when(session.principal))));
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.50' }}>
      <a href="#main" className="skip-link">Skip to content</a>
      <AppBar position="static" component="header">
        <Toolbar sx={{ gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="h6" component="div" sx={{ mr: 2 }}>CTS</Typography>
          <Box component="nav" aria-label="Main" sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', flexGrow: 1 }}>
            {visible.map((item) => {
              const active = item.to === '/' ? path === '/' : path.startsWith(item.to);
              return (
                <Button key={item.to} component={Link} to={item.to} color="inherit" aria-current={active ? 'page' : undefined} sx={{ textDecoration: active ? 'underline' : 'none' }}>
                  {item.label}
                  {item.badge && <item.badge />}
                </Button>
              );
            })}
          </Box>
          <Typography variant="body2" sx={{ mr: 1 }}>{session.principal?.name} ({session.principal?.roles.join(', ')})</Typography>
          <Button color="inherit" onClick={() => void session.signOut()}>Sign out</Button>
        </Toolbar>
      </AppBar>
      <Box component="main" id="main" tabIndex={-1} sx={{ p: { xs: 1.5, md: 3 }, maxWidth: 1400, mx: 'auto' }}>
        {children}
      </Box>
    </Box>
  );
}
