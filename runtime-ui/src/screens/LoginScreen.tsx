/** Sign in with a password or the county's single sign-on; forgot password; first-login and reset-link password change. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import Divider from '@mui/material/Divider';
import { api } from '../api/client';
import { FormError } from '../app/FormError';
import { Link, navigate, useLocation } from '../app/router';
import { useSession } from '../app/session';

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', bgcolor: 'grey.100', p: 2 }}>
      <Paper sx={{ p: 4, width: '100%', maxWidth: 420 }}>
        <Typography variant="h5" component="h1" gutterBottom>CSEC Tracking System</Typography>
        <Typography variant="subtitle1" component="h2" gutterBottom>{title}</Typography>
        {children}
      </Paper>
    </Box>
  );
}

export function LoginScreen() {
  const session = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<{ label: string; loginUrl: string } | null>(null);

  useEffect(() => {
    api.get('/api/auth/oidc').then(setSso, () => setSso(null));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(email, password);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const returnTo = window.location.pathname === '/login' ? '/' : window.location.pathname + window.location.search;

  return (
    <Panel title="Sign in">
      {session.expired && <Alert severity="info" sx={{ mb: 2 }}>Your session ended. Sign in again to continue where you were; your drafts are kept.</Alert>}
      {search.get('error') && <FormError error={search.get('error')} />}
      <form onSubmit={submit} noValidate>
        <Stack spacing={2}>
          <TextField label="E-mail" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
          <TextField label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <FormError error={error} />
          <Button type="submit" variant="contained" disabled={busy}>Sign in</Button>
          <Link to="/forgot-password">Forgot your password?</Link>
        </Stack>
      </form>
      {sso && (
        <>
          <Divider sx={{ my: 2 }}>or</Divider>
          <Button fullWidth variant="outlined" href={`${sso.loginUrl}?returnTo=${encodeURIComponent(returnTo)}`}>{sso.label}</Button>
        </>
      )}
    </Panel>
  );
}

export function ForgotPasswordScreen() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post('/api/auth/forgot-password', { email });
      setSent(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Panel title="Forgot your password?">
      {sent ? (
        <Alert severity="success">If an active account has this address, a link to choose a new password is on its way. It works once and expires soon.</Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack spacing={2}>
            <TextField label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
            <FormError error={error} />
            <Button type="submit" variant="contained">Send reset link</Button>
          </Stack>
        </form>
      )}
      <Box sx={{ mt: 2 }}><Link to="/">Back to sign in</Link></Box>
    </Panel>
  );
}

function NewPasswordFields({ onSubmit, withCurrent, submitLabel }: { onSubmit: (current: string, next: string) => Promise<void>; withCurrent: boolean; submitLabel: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (next !== repeat) return setError(new Error('The two new passwords differ.'));
    try {
      await onSubmit(current, next);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack spacing={2}>
        {withCurrent && <TextField label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoFocus />}
        <TextField label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required helperText="At least 12 characters with three of: lower case, upper case, digits, symbols." />
        <TextField label="Repeat new password" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        <FormError error={error} />
        <Button type="submit" variant="contained">{submitLabel}</Button>
      </Stack>
    </form>
  );
}

/** First sign-in with a system-generated password, or a change the user asked for. */
export function ChangePasswordScreen() {
  const session = useSession();
  return (
    <Panel title="Choose a new password">
      {session.principal?.mustChangePassword && <Alert severity="info" sx={{ mb: 2 }}>Your password was set for you. Choose your own before you continue.</Alert>}
      <NewPasswordFields
        withCurrent
        submitLabel="Change password"
        onSubmit={async (currentPassword, newPassword) => {
          await api.post('/api/auth/change-password', { currentPassword, newPassword });
          await session.refresh();
          navigate('/', { replace: true });
        }}
      />
    </Panel>
  );
}

/** The page a reset link opens. */
export function ResetPasswordScreen() {
  const { search } = useLocation();
  const [done, setDone] = useState(false);
  return (
    <Panel title="Choose a new password">
      {done ? (
        <Alert severity="success">Your password is changed. <Link to="/">Sign in</Link> with it.</Alert>
      ) : (
        <NewPasswordFields
          withCurrent={false}
          submitLabel="Set password"
          onSubmit={async (_current, newPassword) => {
            await api.post('/api/auth/reset-password', { token: search.get('token') ?? '', newPassword });
            setDone(true);
          }}
        />
      )}
    </Panel>
  );
}
