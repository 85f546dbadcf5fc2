/**
 * Notifications: the messages sent to the user (To or CC), newest first, the same ones e-mailed to
 * them, each linking to the case or document it is about. In demo mode, a link to the demo mail viewer.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link as AppLink } from '../../app/router';
import { usDateTime } from '../../forms/county-time';
import { loadTimeZone } from '../home/definitions';

interface Notice {
  _id: string;
  subject: string;
  text?: string;
  link?: string;
  caseId?: string | null;
  documentId?: string | null;
  status: string;
  createdAt: string;
  sentAt?: string;
}

/** Where in the app a notice points: its document, else its case (the e-mail's link is for outside the app). */
function placeOf(n: Notice): string | null {
  if (n.documentId) return `/documents/${n.documentId}`;
  if (n.caseId) return `/cases/${n.caseId}`;
  return null;
}

export function NotificationsScreen() {
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [demoMailUrl, setDemoMailUrl] = useState<string | null>(null);
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Notice[]>('/api/notifications?limit=100').then(setNotices, setError);
    api.get<{ demoMailUrl: string | null }>('/api/app-info').then((info) => setDemoMailUrl(info.demoMailUrl), () => setDemoMailUrl(null));
    void loadTimeZone().then(setTimeZone);
  }, []);
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Notifications</Typography>
      {demoMailUrl && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Demo mode: every e-mail goes to a local mail catcher. <Link href={demoMailUrl} target="_blank" rel="noopener">Open the demo mail viewer</Link>
        </Alert>
      )}
      <FormError error={error} />
      {notices && notices.length === 0 && <Typography>No notifications yet.</Typography>}
      <Paper>
        <List aria-label="Notifications">
          {notices?.map((n) => {
            const place = placeOf(n);
            return (
              <ListItem key={n._id} divider alignItems="flex-start">
                <Stack spacing={0.5} sx={{ width: '100%' }}>
                  <Stack direction="row" spacing={1} alignItems="baseline" flexWrap="wrap">
                    <Typography component="h2" variant="subtitle1" sx={{ fontWeight: 600 }}>
                      {place ? <AppLink to={place}>{n.subject}</AppLink> : n.subject}
                    </Typography>
                    <Chip size="small" label={n.status === 'sent' ? 'E-mailed' : n.status === 'failed' ? 'E-mail failed' : 'E-mail pending'} />
                  </Stack>
                  <Typography variant="body2" color="text.secondary">{timeZone ? usDateTime(n.createdAt, timeZone) : ''}</Typography>
                  {n.text && <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>{n.text}</Typography>}
                </Stack>
              </ListItem>
            );
          })}
        </List>
      </Paper>
    </>
  );
}
