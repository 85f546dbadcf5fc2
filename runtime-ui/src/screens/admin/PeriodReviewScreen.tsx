/**
 * A monthly review (CTS: Master Activity): pick a month, see each author's documents with
 * totals per category and the grand total, and submit the month. Which review it is, its title
 * and column titles come from the engine (forms/period-reviews.json).
 */
import { Fragment, useCallback, useEffect, useState } from 'react';
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
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link } from '../../app/router';
import { usDateTime } from '../../forms/county-time';
import { loadTimeZone } from '../home/definitions';

interface ReviewedDocument {
  documentId: string;
  caseId: string;
  caseNumber: string;
  date: string;
  category: string;
  measure: number;
  fields: Record<string, unknown>;
}

interface Review {
  review: {
    key: string;
    title: string;
    measureUnit?: 'minutes' | 'number';
    columns?: Record<string, string>;
    caseNumberTitle?: string;
    categoryTitle?: string;
    measureTitle?: string;
  };
  period: string;
  scope: string;
  authors: { userId: string; name: string; documents: ReviewedDocument[]; totals: Record<string, number>; total: number }[];
  totals: Record<string, number>;
  total: number;
  submission: { submittedAt: string; submittedByName: string; total: number } | null;
}

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

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

export function PeriodReviewScreen({ reviewKey }: { reviewKey: string }) {
  const [title, setTitle] = useState('Monthly review');
  const [period, setPeriod] = useState(previousMonth);
  const [data, setData] = useState<Review | null>(null);
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

  const load = useCallback(() => {
    if (!/^\d{4}-\d{2}$/.test(period)) return;
    setError(null);
    api.get<Review>(`/api/period-reviews/${reviewKey}/${period}`).then(setData, setError);
  }, [reviewKey, period]);
  useEffect(load, [load]);

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
    caseNumber: data?.review.caseNumberTitle ?? 'Case #',
    category: data?.review.categoryTitle ?? 'Category',
    measure: data?.review.measureTitle ?? 'Measure',
  };
  const columns = Object.entries(data?.review.columns ?? {});
  const categories = Object.keys(data?.totals ?? {}).sort();
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>{title}{data ? ` ${data.period}, ${data.scope}` : ''}</Typography>
      <FormError error={error} />
      <Paper className="no-print" sx={{ p: 2, mb: 2 }}>
        <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" alignItems="center">
          <TextField label="Month" type="month" value={period} onChange={(e) => setPeriod(e.target.value)} size="small" slotProps={{ inputLabel: { shrink: true } }} />
          <span style={{ flexGrow: 1 }} />
          <Button onClick={() => window.print()}>Print</Button>
          <Button variant="contained" disabled={!data || !!data.submission} onClick={() => setConfirming(true)}>Submit</Button>
        </Stack>
      </Paper>
      {data?.submission && (
        <Alert severity="success" role="status" sx={{ mb: 2 }}>
          Submitted by {data.submission.submittedByName}{timeZone ? ` on ${usDateTime(data.submission.submittedAt, timeZone)}` : ''} (grand total {measureText(data.submission.total, unit)}).
        </Alert>
      )}
      {data && data.authors.length === 0 && <Typography sx={{ mb: 2 }}>Nothing was submitted in this month.</Typography>}
      {data?.authors.map((author) => (
        <Paper key={author.userId} sx={{ mb: 2 }}>
          <Typography variant="h6" component="h2" sx={{ px: 2, pt: 1 }}>{author.name}</Typography>
          <TableContainer>
            <Table size="small" aria-label={`${title} of ${author.name}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Date</TableCell><TableCell>{labels.caseNumber}</TableCell><TableCell>{labels.category}</TableCell>
                  {columns.map(([p, label]) => <TableCell key={p}>{label}</TableCell>)}
                  <TableCell align="right">{labels.measure}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {Object.entries(groupBy(author.documents)).map(([category, docs]) => (
                  <Fragment key={category}>
                    {docs.map((d) => (
                      <TableRow key={d.documentId}>
                        <TableCell><Link to={`/documents/${d.documentId}`}>{usDate(d.date)}</Link></TableCell>
                        <TableCell>{d.caseNumber}</TableCell>
                        <TableCell>{d.category}</TableCell>
                        {columns.map(([p]) => <TableCell key={p}>{cellText(d.fields[p])}</TableCell>)}
                        <TableCell align="right">{measureText(d.measure, unit)}</TableCell>
                      </TableRow>
                    ))}
                    <TableRow>
                      <TableCell colSpan={3 + columns.length} sx={{ fontWeight: 600 }}>Total {category}:</TableCell>
                      <TableCell align="right" sx={{ fontWeight: 600 }}>{measureText(author.totals[category], unit)}</TableCell>
                    </TableRow>
                  </Fragment>
                ))}
                <TableRow>
                  <TableCell colSpan={3 + columns.length} sx={{ fontWeight: 700 }}>Total {author.name}:</TableCell>
                  <TableCell align="right" sx={{ fontWeight: 700 }}>{measureText(author.total, unit)}</TableCell>
                </TableRow>
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      ))}
      {data && data.authors.length > 0 && (
        <Paper sx={{ mb: 2 }}>
          <Table size="small" aria-label={`Totals by ${labels.category}`}>
            <TableHead><TableRow><TableCell>{labels.category}</TableCell><TableCell align="right">{labels.measure}</TableCell></TableRow></TableHead>
            <TableBody>
              {categories.map((c) => <TableRow key={c}><TableCell>Total {c}:</TableCell><TableCell align="right">{measureText(data.totals[c], unit)}</TableCell></TableRow>)}
              <TableRow><TableCell sx={{ fontWeight: 700 }}>Grand Total:</TableCell><TableCell align="right" sx={{ fontWeight: 700 }}>{measureText(data.total, unit)}</TableCell></TableRow>
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

function groupBy(docs: ReviewedDocument[]): Record<string, ReviewedDocument[]> {
  const groups: Record<string, ReviewedDocument[]> = {};
  for (const d of [...docs].sort((a, b) => a.category.localeCompare(b.category) || a.date.localeCompare(b.date))) (groups[d.category] ??= []).push(d);
  return groups;
}
