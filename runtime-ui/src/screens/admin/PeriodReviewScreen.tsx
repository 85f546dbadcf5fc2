/**
 * A monthly review (CTS: Master Activity): pick a month, see its authors (a page at a time) with
 * their counts and totals, open one author's documents (a page at a time, by category, with the
 * category's total where it ends), see the totals per category and the grand total, and submit
 * the month. Which review it is, its title and column titles come from the engine
 * (forms/period-reviews.json).
 */
import { Fragment, useCallback, useEffect, useState } from 'react';
import LinearProgress from '@mui/material/LinearProgress';
import MuiLink from '@mui/material/Link';
import TablePagination from '@mui/material/TablePagination';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { api, query } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link } from '../../app/router';
import { usDateTime } from '../../forms/county-time';
import { loadTimeZone } from '../home/definitions';
import type { AuthorDocuments, PeriodReview } from '../../api/engine-types';

function previousMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Minutes as HH:MM (the Service Units of the slides), or a plain number. */
function measureText(value: number, unit?: string): string {
  if (unit !== 'minutes') return value.toLocaleString('en-US');
  return `${Math.floor(value / 60)}:${String(value % 60).padStart(2, '0')}`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

const AUTHOR_PAGE = 25;
const DOCUMENT_PAGES = [10, 25, 50];

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

export function PeriodReviewScreen({ reviewKey }: { reviewKey: string }) {
  const [title, setTitle] = useState('Monthly review');
  const [period, setPeriod] = useState(previousMonth);
  const [authorPage, setAuthorPage] = useState(0);
  const [data, setData] = useState<PeriodReview | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [docPage, setDocPage] = useState(0);
  const [docPageSize, setDocPageSize] = useState(DOCUMENT_PAGES[0]);
  const [documents, setDocuments] = useState<AuthorDocuments | null>(null);
  const [loading, setLoading] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [timeZone, setTimeZone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.get<{ key: string; title: string }[]>('/api/period-reviews').then((list) => {
      const review = list.find((r) => r.key === reviewKey);
      if (review) setTitle(review.title);
    }, setError);
    void loadTimeZone().then(setTimeZone);
  }, [reviewKey]);

  /** Runs a request with the progress bar shown while it is out. */
  const track = useCallback(<T,>(request: Promise<T>, done: (value: T) => void) => {
    setLoading((n) => n + 1);
    request.then(done, setError).finally(() => setLoading((n) => n - 1));
  }, []);

  const load = useCallback(() => {
    if (!/^\d{4}-\d{2}$/.test(period)) return;
    setError(null);
    track(api.get<PeriodReview>(`/api/period-reviews/${reviewKey}/${period}${query({ skip: authorPage * AUTHOR_PAGE, limit: AUTHOR_PAGE })}`), setData);
  }, [reviewKey, period, authorPage, track]);
  useEffect(load, [load]);

  useEffect(() => {
    setDocuments(null);
    if (!selected || !/^\d{4}-\d{2}$/.test(period)) return;
    track(api.get<AuthorDocuments>(`/api/period-reviews/${reviewKey}/${period}/documents${query({ author: selected, skip: docPage * docPageSize, limit: docPageSize })}`), setDocuments);
  }, [reviewKey, period, selected, docPage, docPageSize, track]);

  const changeMonth = (value: string) => {
    setPeriod(value);
    setAuthorPage(0);
    setSelected(null);
  };
  const open = (userId: string) => {
    setSelected(userId);
    setDocPage(0);
  };

  const submit = async () => {
    setConfirming(false);
    try {
      await api.post(`/api/period-reviews/${reviewKey}/${period}/submit`);
      load();
    } catch (e) {
      setError(e);
    }
  };

  const unit = data?.review.measureUnit;
  const labels = {
    author: data?.review.authorTitle ?? 'Author',
    count: data?.review.countTitle ?? 'Documents',
    caseNumber: data?.review.caseNumberTitle ?? 'Case #',
    category: data?.review.categoryTitle ?? 'Category',
    measure: data?.review.measureTitle ?? 'Measure',
  };
  const columns = Object.entries(data?.review.columns ?? {});
  const categories = Object.keys(data?.totals ?? {}).sort((a, b) => a.localeCompare(b));
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>{title}{data ? ` ${data.period}, ${data.scope}` : ''}</Typography>
      <FormError error={error} />
      <Paper className="no-print" sx={{ p: 2, mb: 2 }}>
        <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" alignItems="center">
          <TextField label="Month" type="month" value={period} onChange={(e) => changeMonth(e.target.value)} size="small" slotProps={{ inputLabel: { shrink: true } }} />
          <span style={{ flexGrow: 1 }} />
          <Button onClick={() => window.print()}>Print</Button>
          <Button variant="contained" disabled={!data || !!data.submission} onClick={() => setConfirming(true)}>Submit</Button>
        </Stack>
      </Paper>
      {loading > 0 && <LinearProgress className="no-print" aria-label="Loading" sx={{ mb: 1 }} />}
      {data?.submission && (
        <Alert severity="success" role="status" sx={{ mb: 2 }}>
          Submitted by {data.submission.submittedByName}{timeZone ? ` on ${usDateTime(data.submission.submittedAt, timeZone)}` : ''} (grand total {measureText(data.submission.total, unit)}).
        </Alert>
      )}
      {data && data.authorCount === 0 && <Typography sx={{ mb: 2 }}>Nothing was submitted in this month.</Typography>}
      {data && data.authorCount > 0 && (
        <Paper sx={{ mb: 2 }}>
          <TableContainer>
            <Table size="small" aria-label={`${title} by ${labels.author}`}>
              <TableHead>
                <TableRow><TableCell>{labels.author}</TableCell><TableCell align="right">{labels.count}</TableCell><TableCell align="right">{labels.measure}</TableCell></TableRow>
              </TableHead>
              <TableBody>
                {data.authors.map((a) => (
                  <TableRow key={a.userId} selected={a.userId === selected}>
                    <TableCell>
                      <MuiLink component="button" type="button" onClick={() => open(a.userId)} aria-current={a.userId === selected ? 'true' : undefined}>{a.name}</MuiLink>
                    </TableCell>
                    <TableCell align="right">{a.count.toLocaleString('en-US')}</TableCell>
                    <TableCell align="right">{measureText(a.total, unit)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
          <TablePagination component="div" className="no-print" count={data.authorCount} page={authorPage} rowsPerPage={AUTHOR_PAGE} rowsPerPageOptions={[AUTHOR_PAGE]}
            onPageChange={(_e, p) => setAuthorPage(p)} labelDisplayedRows={({ from, to, count }) => `${from}–${to} of ${count} ${labels.author.toLowerCase()}s`} />
        </Paper>
      )}
      {documents && (
        <Paper sx={{ mb: 2 }}>
          <Typography variant="h6" component="h2" sx={{ px: 2, pt: 1 }}>{documents.author.name}</Typography>
          <TableContainer>
            <Table size="small" aria-label={`${title} of ${documents.author.name}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Date</TableCell><TableCell>{labels.caseNumber}</TableCell><TableCell>{labels.category}</TableCell>
                  {columns.map(([p, label]) => <TableCell key={p}>{label}</TableCell>)}
                  <TableCell align="right">{labels.measure}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {documents.items.map((d, i) => (
                  <Fragment key={d.documentId}>
                    <TableRow>
                      <TableCell><Link to={`/documents/${d.documentId}`}>{usDate(d.date)}</Link></TableCell>
                      <TableCell>{d.caseNumber}</TableCell>
                      <TableCell>{d.category}</TableCell>
                      {columns.map(([p]) => <TableCell key={p}>{cellText(d.fields[p])}</TableCell>)}
                      <TableCell align="right">{measureText(d.measure, unit)}</TableCell>
                    </TableRow>
                    {endsCategory(documents, docPage * docPageSize + i) && (
                      <TableRow>
                        <TableCell colSpan={3 + columns.length} sx={{ fontWeight: 600 }}>Total {d.category}:</TableCell>
                        <TableCell align="right" sx={{ fontWeight: 600 }}>{measureText(documents.author.totals[d.category] ?? 0, unit)}</TableCell>
                      </TableRow>
                    )}
                  </Fragment>
                ))}
                {docPage * docPageSize + documents.items.length >= documents.total && (
                  <TableRow>
                    <TableCell colSpan={3 + columns.length} sx={{ fontWeight: 700 }}>Total {documents.author.name}:</TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>{measureText(documents.author.total, unit)}</TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </TableContainer>
          <TablePagination component="div" className="no-print" count={documents.total} page={docPage} rowsPerPage={docPageSize} rowsPerPageOptions={DOCUMENT_PAGES}
            onPageChange={(_e, p) => setDocPage(p)} onRowsPerPageChange={(e) => { setDocPageSize(Number(e.target.value)); setDocPage(0); }} />
        </Paper>
      )}
      {data && data.authorCount > 0 && (
        <Paper sx={{ mb: 2 }}>
          <Table size="small" aria-label={`Totals by ${labels.category}`}>
            <TableHead><TableRow><TableCell>{labels.category}</TableCell><TableCell align="right">{labels.count}</TableCell><TableCell align="right">{labels.measure}</TableCell></TableRow></TableHead>
            <TableBody>
              {categories.map((c) => (
                <TableRow key={c}><TableCell>Total {c}:</TableCell><TableCell align="right">{(data.counts[c] ?? 0).toLocaleString('en-US')}</TableCell><TableCell align="right">{measureText(data.totals[c], unit)}</TableCell></TableRow>
              ))}
              <TableRow>
                <TableCell sx={{ fontWeight: 700 }}>Grand Total:</TableCell>
                <TableCell align="right" sx={{ fontWeight: 700 }}>{data.documentCount.toLocaleString('en-US')}</TableCell>
                <TableCell align="right" sx={{ fontWeight: 700 }}>{measureText(data.total, unit)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </Paper>
      )}
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="submit-month-title">
        <DialogTitle id="submit-month-title">Submit {title} for {period}?</DialogTitle>
        <DialogContent>
          <Typography>The month is submitted once, with its totals as they are now (grand total {data ? measureText(data.total, unit) : ''}).</Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button variant="contained" onClick={() => void submit()}>Submit</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/**
 * Whether the document at this position of the author's list (by category, then date) is the
 * last of its category: the categories' counts, in the same order, say where each one ends.
 */
function endsCategory({ author }: AuthorDocuments, position: number): boolean {
  let end = 0;
  for (const category of Object.keys(author.counts).sort((a, b) => a.localeCompare(b))) {
    end += author.counts[category];
    if (position === end - 1) return true;
    if (position < end) return false;
  }
  return false;
}
