/** The app: who is signed in decides between the sign-in screens and the signed-in screens. */
import CircularProgress from '@mui/material/CircularProgress';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { AppShell, type NavItem } from './app/AppShell';
import { Routes, type Route } from './app/router';
import { useSession } from './app/session';
import { ChangePasswordScreen, ForgotPasswordScreen, LoginScreen, ResetPasswordScreen } from './screens/LoginScreen';
import { adminArea } from './screens/admin';
import { notificationsArea } from './screens/notifications';
import { reportsArea } from './screens/reports';
import { documentArea } from './screens/document';
import { caseWorkArea } from './screens/home/area';

/** An area of the app: its screens and its entries in the main menu. Each area adds itself here. */
export interface Area {
  routes: Route[];
  nav?: NavItem[];
}

const coreArea: Area = {
  routes: [
    { path: '/change-password', render: () => <ChangePasswordScreen /> },
  ],
};

const areas: Area[] = [
  caseWorkArea,
  coreArea,
  notificationsArea,
  reportsArea,
  adminArea,
  documentArea,
];

const nav = areas.flatMap((area) => area.nav ?? []);
const routes = areas.flatMap((area) => area.routes);

const signedOutRoutes: Route[] = [
  { path: '/forgot-password', render: () => <ForgotPasswordScreen /> },
  { path: '/reset-password', render: () => <ResetPasswordScreen /> },
];

export function App() {
  const session = useSession();
  if (session.loading) {
    return <Box sx={{ display: 'grid', placeItems: 'center', minHeight: '100vh' }}><CircularProgress aria-label="Loading" /></Box>;
  }
  if (!session.principal) return <Routes routes={signedOutRoutes} fallback={<LoginScreen />} />;
  if (session.principal.mustChangePassword) return <ChangePasswordScreen />;
  return (
    <AppShell nav={nav}>
      <Routes routes={routes} fallback={<Typography role="alert">This page does not exist. Use the menu above.</Typography>} />
    </AppShell>
  );
}
