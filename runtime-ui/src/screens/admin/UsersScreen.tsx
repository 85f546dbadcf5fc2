/**
 * User setup (the slides' "Advocate Setup"): search the accounts the user administers, by name or
 * login e-mail and active status, paged on the server; open one to edit it, or add one.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FormError } from '../../app/FormError';
import { AccountDialog } from './AccountDialog';
import { adminApi, type Account, type Administration } from './admin-api';

const PAGE_SIZE = 25;
type ActiveFilter = 'all' | 'yes' | 'no';

export function UsersScreen() {
  const [administration, setAdministration] = useState<Administration | null>(null);
  const [q, setQ] = useState('');
  const [active, setActive] = useState<ActiveFilter>('all');
  const [criteria, setCriteria] = useState<{ q: string; active: ActiveFilter }>({ q: '', active: 'all' });
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<{ total: number; items: Account[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Account | 'new' | null>(null);

  useEffect(() => {
    adminApi.administration().then(setAdministration, setError);
  }, []);

  const load = useCallback(() => {
    adminApi
      .search({ q: criteria.q || undefined, active: criteria.active === 'all' ? undefined : criteria.active === 'yes', skip: page * PAGE_SIZE, limit: PAGE_SIZE })
      .then((r) => { setResult(r); setError(null); }, setError);
  }, [criteria, page]);
  useEffect(load, [load]);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setPage(0);
    setCriteria({ q: q.trim(), active });
  };

  // One role to give: the screen is named after it ("Advocate Setup"), as county staff know it.
  const noun = administration && administration.roles !== '*' && administration.roles.length === 1 ? administration.roles[0] : 'User';
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>{noun} Setup</Typography>
      <FormError error={error} />
      <Paper component="form" role="search" aria-label={`Search ${noun.toLowerCase()}s`} onSubmit={search} sx={{ p: 2, mb: 2, display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <TextField label="Name or Login ID" value={q} onChange={(e) => setQ(e.target.value)} size="small" />
        <TextField select label="Active Status" value={active} onChange={(e) => setActive(e.target.value as ActiveFilter)} size="small" sx={{ minWidth: 140 }}>
          <MenuItem value="all">All</MenuItem>
          <MenuItem value="yes">Yes</MenuItem>
          <MenuItem value="no">No</MenuItem>
        </TextField>
        <Button type="submit" variant="contained">Search</Button>
        <Box sx={{ flexGrow: 1 }} />
        <Button variant="outlined" onClick={() => setEditing('new')} disabled={!administration}>Add {noun}</Button>
      </Paper>
      <Paper>
        <Typography variant="subtitle1" component="h2" sx={{ px: 2, pt: 1 }}>{noun} Setup Total: {result?.total ?? '…'}</Typography>
        <TableContainer>
          <Table size="small" aria-label="Accounts">
            <TableHead>
              <TableRow>
                <TableCell>Email / Login ID</TableCell><TableCell>Last Name</TableCell><TableCell>First Name</TableCell>
                <TableCell>Contact #</TableCell><TableCell>Active</TableCell><TableCell>Locked</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result?.items.map((account) => (
                <TableRow key={account.id} hover>
                  <TableCell>
                    <Button variant="text" size="small" sx={{ textTransform: 'none', p: 0, minWidth: 0 }} onClick={() => setEditing(account)}>{account.email}</Button>
                  </TableCell>
                  <TableCell>{account.lastName}</TableCell>
                  <TableCell>{account.firstName}</TableCell>
                  <TableCell>{account.phone ?? ''}</TableCell>
                  <TableCell>{account.active ? 'Yes' : 'No'}</TableCell>
                  <TableCell>{account.locked ? 'Yes' : 'No'}</TableCell>
                </TableRow>
              ))}
              {result?.items.length === 0 && (
                <TableRow><TableCell colSpan={6}>No accounts match. Change the search, or add one.</TableCell></TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        <TablePagination component="div" count={result?.total ?? 0} page={page} rowsPerPage={PAGE_SIZE} rowsPerPageOptions={[PAGE_SIZE]} onPageChange={(_e, p) => setPage(p)} />
      </Paper>
      {editing && administration && (
        <AccountDialog administration={administration} account={editing === 'new' ? null : editing} noun={noun}
          onClose={(changed) => { setEditing(null); if (changed) load(); }} />
      )}
    </>
  );
}
