/**
 * The designer: only publishers (the server's PUBLISHER_ROLES, asked through
 * GET /api/definitions/publishing) get the screens; anyone else sees why not. The server refuses
 * them anyway. The bpmn-js modeler is loaded only on the process screen.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { api } from '../../runtime-ui/src/api/client';
import { AppShell, type NavItem } from '../../runtime-ui/src/app/AppShell';
import { FormError } from '../../runtime-ui/src/app/FormError';
import { Routes, type Route } from '../../runtime-ui/src/app/router';
import { useSession } from '../../runtime-ui/src/app/session';
import { BASE, paths } from './app/paths';
import { DefinitionList } from './screens/DefinitionList';
import { JsonDefinitionScreen } from './screens/JsonDefinitionScreen';
import { LookupEditor } from './screens/LookupEditor';
import { DesignerHome } from './screens/DesignerHome';

const ProcessDesigner = lazy(() => import('./process/ProcessDesigner'));
const FormDesigner = lazy(() => import('./form/FormDesigner'));

const nav: NavItem[] = [
  { to: paths.home, label: 'Designer' },
  { to: paths.processes, label: 'Processes' },
  { to: paths.forms, label: 'Forms' },
  { to: paths.caseTypes, label: 'Case types' },
  { to: paths.lookups, label: 'Lookups' },
  { to: paths.calendar, label: 'Holiday calendar' },
];

const routes: Route[] = [
  { path: paths.home, render: () => <DesignerHome /> },
  { path: BASE, render: () => <DesignerHome /> },
  { path: paths.processes, render: () => <DefinitionList kind="process" title="Processes" link={paths.process} /> },
  { path: `${paths.processes}/:key`, render: ({ key }) => <ProcessDesigner key={key} definitionKey={key} /> },
  { path: paths.forms, render: () => <DefinitionList kind="form" title="Forms" link={paths.form} /> },
  { path: `${paths.forms}/:key`, render: ({ key }) => <FormDesigner key={key} definitionKey={key} /> },
  { path: paths.caseTypes, render: () => <DefinitionList kind="caseType" title="Case types" link={paths.caseType} /> },
  { path: `${paths.caseTypes}/:key`, render: ({ key }) => <JsonDefinitionScreen key={key} kind="caseType" definitionKey={key} /> },
  { path: paths.lookups, render: () => <DefinitionList kind="lookup" title="Lookups" link={paths.lookup} /> },
  { path: `${paths.lookups}/:key`, render: ({ key }) => <LookupEditor key={key} definitionKey={key} /> },
  { path: paths.calendar, render: () => <JsonDefinitionScreen kind="calendar" definitionKey="business" /> },
];

const loading = <Box sx={{ display: 'grid', placeItems: 'center', minHeight: 200 }}><CircularProgress aria-label="Loading" /></Box>;

export function App() {
  const session = useSession();
  const [allowed, setAllowed] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const userId = session.principal?.userId;
  useEffect(() => {
    if (!userId) return;
    setAllowed(null);
    api.get<{ allowed: boolean }>('/api/definitions/publishing').then((r) => setAllowed(r.allowed), setError);
  }, [userId]);

  if (session.loading) return loading;
  if (!session.principal) {
    return (
      <Box component="main" sx={{ p: 3 }}>
        <Typography variant="h5" component="h1" gutterBottom>CTS Designer</Typography>
        <Alert severity="info">Please <a href={`/?next=${encodeURIComponent(window.location.pathname)}`}>sign in</a> first, then come back to the designer.</Alert>
      </Box>
    );
  }
  return (
    <AppShell nav={allowed ? nav : []}>
      <FormError error={error} />
      {allowed === null && !error && loading}
      {allowed === false && (
        <Alert severity="warning" role="alert">
          <strong>Not allowed.</strong> The designer is only for program administrators (users who may publish definitions). Your roles: {session.principal.roles.join(', ') || 'none'}.
        </Alert>
      )}
      {allowed && (
        <Suspense fallback={loading}>
          <Routes routes={routes} fallback={<Typography role="alert">This page does not exist. Use the menu above.</Typography>} />
        </Suspense>
      )}
    </AppShell>
  );
}
