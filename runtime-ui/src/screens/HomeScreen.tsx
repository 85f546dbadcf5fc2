/** Home: the assignments the user may see. */
import { useEffect, useState } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import Paper from '@mui/material/Paper';
import { api } from '../api/client';
import { FormError } from '../app/FormError';
import { Link } from '../app/router';

interface CaseItem {
  _id: string;
  number: string;
  status: string;
  data: Record<string, any>;
}

export function HomeScreen() {
  const [cases, setCases] = useState<{ total: number; items: CaseItem[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get('/api/cases?limit=50').then(setCases, setError);
  }, []);
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Assignment Listing</Typography>
      <FormError error={error} />
      <Paper>
        <Table size="small" aria-label="Assignments">
          <TableHead>
            <TableRow><TableCell>Number</TableCell><TableCell>Youth</TableCell><TableCell>Status</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {cases?.items.map((c) => (
              <TableRow key={c._id} hover>
                <TableCell><Link to={`/cases/${c._id}`}>{c.number}</Link></TableCell>
                <TableCell>{[c.data.youthFirstName, c.data.youthLastName].filter(Boolean).join(' ')}</TableCell>
                <TableCell>{c.status}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {cases && <Typography variant="body2" sx={{ mt: 1 }}>{cases.total} assignments</Typography>}
    </>
  );
}
