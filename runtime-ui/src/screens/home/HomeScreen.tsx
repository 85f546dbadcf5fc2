/**
 * Home for every role: Search and the Assignment Listing of the cases the user may see (columns,
 * search fields and status filter as the case type's `listing` declares them; server-side
 * search, sort and paging), task and alert badges per case, the button that opens a new case
 * (asking the case fields first) for the roles that may, and the user's pending tasks (e.g. assigning an advocate).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { api, query } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { CreateCaseDialog } from './CreateCaseDialog';
import { TaskTable } from '../tasks/TaskTable';
import { useTasks, useTasksChanged } from '../tasks/tasks';
import { casesLabel, loadCaseTypes, loadTimeZone, useLoaded, type CaseType, type ListingColumn } from './definitions';
import { formatDate, formatDateTime, valueAt } from './format';

interface CaseItem {
  _id: string;
  number: string;
  status: string;
  data: Record<string, any>;
  deliverables?: { alerts: number; overdue: number; nextDueDate: string | null };
}

const ALL = 'All';

export function HomeScreen() {
  const { value: caseTypes, error } = useLoaded(loadCaseTypes);
  const caseType = caseTypes?.[0];
  return (
    <>
      <FormError error={error} />
      {!caseType ? <CircularProgress aria-label="Loading" /> : <CaseHome caseType={caseType} />}
    </>
  );
}

function CaseHome({ caseType }: { caseType: CaseType }) {
  const listing = caseType.listing ?? { columns: [{ key: 'number', label: 'Number', fields: ['number'] }, { key: 'status', label: 'Status', fields: ['status'] }] };
  const session = useSession();
  const { tasks } = useTasks();
  const { value: timeZone = 'America/Los_Angeles' } = useLoaded(loadTimeZone);
  const initialStatus = listing.defaultStatus ?? ALL;
  const [form, setForm] = useState<Record<string, string>>({ status: initialStatus });
  const [applied, setApplied] = useState<Record<string, string>>({ status: initialStatus });
  const [sort, setSort] = useState<string | undefined>(listing.defaultSort);
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(10);
  const [result, setResult] = useState<{ total: number; items: CaseItem[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const [listError, setListError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  // Once shown, the pending list stays (empty) so a dialog opened from it outlives the last task.
  const [showPending, setShowPending] = useState(false);
  useEffect(() => { if (tasks && tasks.length > 0) setShowPending(true); }, [tasks]);

  const load = useCallback(() => {
    const search = Object.fromEntries(Object.entries(applied).filter(([k, v]) => k !== 'status' && v.trim() !== '').map(([k, v]) => [`f.${k}`, v.trim()]));
    setLoading(true);
    api.get(`/api/cases${query({ caseType: caseType.key, status: applied.status === ALL ? undefined : applied.status, sort, skip: page * pageSize, limit: pageSize, ...search })}`)
      .then((r) => { setResult(r); setListError(null); }, setListError)
      .finally(() => setLoading(false));
  }, [applied, sort, page, pageSize, caseType.key]);
  useEffect(load, [load]);
  useTasksChanged(load); // a decision on a pending task changes the case's status

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(0);
    setApplied({ ...form });
  };
  const clear = () => {
    const fresh = { status: initialStatus };
    setForm(fresh);
    setApplied(fresh);
    setPage(0);
  };
  const toggleSort = (column: ListingColumn) => {
    setPage(0);
    setSort(sort === column.key ? `-${column.key}` : column.key);
  };
  const mayCreate = !!listing.create && (!caseType.createRoles || session.hasRole(...caseType.createRoles));
  const statusOptions = [...Object.keys(listing.statusGroups ?? {}), ...caseType.statuses, ALL];
  const tasksByCase = new Map<string, number>();
  for (const task of tasks ?? []) if (task.caseId) tasksByCase.set(task.caseId, (tasksByCase.get(task.caseId) ?? 0) + 1);
  const sortKey = sort?.replace(/^-/, '');

  const cell = (item: CaseItem, column: ListingColumn) => {
    const values = column.fields.map((f) => valueAt(item, f));
    if (column.format === 'date') return formatDate(values[0]);
    if (column.format === 'datetime') return formatDateTime(values[0], timeZone);
    // name columns list the surname first in the sort; people read the given name first
    return (column.fields.length > 1 ? [...values].reverse() : values).filter((v) => v !== undefined && v !== null && v !== '').join(' ');
  };

  return (
    <Stack spacing={3}>
      <Box component="section" aria-labelledby="search-heading">
        <Typography id="search-heading" variant="h5" component="h1" gutterBottom>Search</Typography>
        <Paper component="form" role="search" aria-label="Search assignments" onSubmit={submit} sx={{ p: 2 }}>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: 'repeat(3, 1fr)' } }}>
            {(listing.search ?? []).map((field) => (
              <TextField key={field.key} id={`search-${field.key}`} label={field.label} size="small"
                type={field.match === 'date' ? 'date' : 'text'}
                slotProps={field.match === 'date' ? { inputLabel: { shrink: true } } : undefined}
                value={form[field.key] ?? ''} onChange={(e) => setForm({ ...form, [field.key]: e.target.value })} />
            ))}
            <TextField select id="search-status" label="Status" size="small" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })}>
              {statusOptions.map((s) => <MenuItem key={s} value={s}>{s}</MenuItem>)}
            </TextField>
          </Box>
          <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
            <Button type="submit" variant="contained">Search</Button>
            <Button type="button" onClick={clear}>Clear</Button>
          </Stack>
        </Paper>
      </Box>

      {(showPending || (tasks && tasks.length > 0)) && (
        <Box component="section" aria-labelledby="pending-heading">
          <Typography id="pending-heading" variant="h6" component="h2" gutterBottom>Pending Tasks</Typography>
          <TaskTable tasks={tasks ?? []} label="Pending tasks" empty="Nothing is waiting for you." />
        </Box>
      )}

      <Box component="section" aria-labelledby="listing-heading">
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
          <Typography id="listing-heading" variant="h6" component="h2">{caseType.display?.listingTitle ?? casesLabel(caseType)}</Typography>
          <Typography variant="body2" aria-live="polite">Total: {result?.total ?? '…'}</Typography>
          <Box sx={{ flexGrow: 1 }} />
          {mayCreate && <Button variant="contained" onClick={() => setCreating(true)}>{listing.create!.label}</Button>}
        </Stack>
        {creating && <CreateCaseDialog caseType={caseType} onClose={() => setCreating(false)} />}
        <FormError error={listError} />
        <TableContainer component={Paper} sx={{ opacity: loading ? 0.6 : 1 }} aria-busy={loading}>
          <Table size="small" aria-label={casesLabel(caseType)}>
            <TableHead>
              <TableRow>
                {listing.columns.map((column) => (
                  <TableCell key={column.key} sortDirection={sortKey === column.key ? (sort!.startsWith('-') ? 'desc' : 'asc') : false}>
                    {column.sortable ? (
                      <TableSortLabel active={sortKey === column.key} direction={sortKey === column.key && sort!.startsWith('-') ? 'desc' : 'asc'} onClick={() => toggleSort(column)}>
                        {column.label}
                      </TableSortLabel>
                    ) : column.label}
                  </TableCell>
                ))}
                <TableCell>Task</TableCell>
                <TableCell>Alert</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {result?.items.map((item) => (
                <TableRow key={item._id} hover>
                  {listing.columns.map((column, i) => (
                    <TableCell key={column.key}>{i === 0 ? <Link to={`/cases/${item._id}`}>{cell(item, column)}</Link> : cell(item, column)}</TableCell>
                  ))}
                  <TableCell>{tasksByCase.get(item._id) ? <Chip size="small" color="primary" label={`${tasksByCase.get(item._id)} task${tasksByCase.get(item._id)! > 1 ? 's' : ''}`} /> : null}</TableCell>
                  <TableCell>
                    {item.deliverables?.overdue ? <Chip size="small" color="error" label={`${item.deliverables.overdue} overdue`} /> : null}
                    {item.deliverables?.alerts ? <Chip size="small" color="warning" label={`${item.deliverables.alerts} due soon`} sx={{ ml: 0.5 }} /> : null}
                  </TableCell>
                </TableRow>
              ))}
              {result && result.items.length === 0 && (
                <TableRow><TableCell colSpan={listing.columns.length + 2}>No {casesLabel(caseType).toLowerCase()} match this search.</TableCell></TableRow>
              )}
            </TableBody>
          </Table>
          <TablePagination component="div" count={result?.total ?? 0} page={page} rowsPerPage={pageSize} rowsPerPageOptions={[10, 25, 50]}
            onPageChange={(_e, p) => setPage(p)} onRowsPerPageChange={(e) => { setPageSize(Number(e.target.value)); setPage(0); }} />
        </TableContainer>
      </Box>
    </Stack>
  );
}
