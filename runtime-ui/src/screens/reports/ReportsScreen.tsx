/**
 * Management Reports: choose a report and its parameters (from each report's parameter JSON
 * Schema: a month, a date, a choice, a number, yes/no), Run, then read the table and its chart,
 * print it, or download it as CSV or XLSX. Loaded only when opened (its own chunk).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableFooter from '@mui/material/TableFooter';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FormError } from '../../app/FormError';
import { BarChart } from './BarChart';
import { reportsApi, type ParameterProperty, type ReportColumn, type ReportInfo, type ReportParams, type ReportResult } from './reports-api';

/** A month parameter: format "month", or a pattern that takes exactly YYYY-MM values. */
function isMonth(p: ParameterProperty): boolean {
  if (p.format === 'month') return true;
  if (!p.pattern) return false;
  try {
    const re = new RegExp(p.pattern);
    return re.test('2026-01') && re.test('2026-12') && !re.test('2026-1') && !re.test('2026-01-01') && !re.test('January');
  } catch {
    return false;
  }
}

function thisMonth(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

function defaults(report: ReportInfo): ReportParams {
  const values: ReportParams = {};
  for (const [name, p] of Object.entries(report.parameters.properties ?? {})) {
    if (p.default !== undefined) values[name] = p.default as string | number | boolean;
    else if (isMonth(p)) values[name] = thisMonth();
  }
  return values;
}

/** Formats a cell per its column's type: numbers with separators, percents (a fraction 0..1; format "percent-points" when already x100), US dates (MM/DD/YYYY). */
export function formatCell(value: unknown, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (column.type === 'percent' || column.format === 'percent') return `${(column.format === 'percent-points' ? value : value * 100).toFixed(1)}%`;
    return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  if (typeof value === 'string' && (column.type === 'date' || column.format === 'date') && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const [y, m, d] = value.slice(0, 10).split('-');
    return `${m}/${d}/${y}`;
  }
  return String(value);
}

export default function ReportsScreen() {
  const [reports, setReports] = useState<ReportInfo[] | null>(null);
  const [reportId, setReportId] = useState('');
  const [params, setParams] = useState<ReportParams>({});
  const [result, setResult] = useState<{ report: ReportInfo; params: ReportParams; data: ReportResult; run: number } | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    reportsApi.list().then((list) => {
      setReports(list);
      if (list[0]) {
        setReportId(list[0].id);
        setParams(defaults(list[0]));
      }
    }, setError);
  }, []);

  const report = reports?.find((r) => r.id === reportId);
  const choose = (id: string) => {
    setReportId(id);
    const next = reports?.find((r) => r.id === id);
    if (next) setParams(defaults(next));
    setResult(null);
  };

  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (!report) return;
    setRunning(true);
    setError(null);
    try {
      const data = await reportsApi.run(report.id, params);
      setResult((last) => ({ report, params, data, run: (last?.run ?? 0) + 1 }));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Management Reports</Typography>
      <FormError error={error} />
      {reports && reports.length === 0 && <Typography>No management reports are available to your role.</Typography>}
      {report && (
        <Paper component="form" className="no-print" onSubmit={run} aria-label="Report parameters" sx={{ p: 2, mb: 2 }}>
          <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" alignItems="center">
            <TextField select required label="Report" value={reportId} onChange={(e) => choose(e.target.value)} size="small" sx={{ minWidth: 320 }}>
              {reports!.map((r) => <MenuItem key={r.id} value={r.id}>{r.title}</MenuItem>)}
            </TextField>
            {Object.entries(report.parameters.properties ?? {}).map(([name, p]) => (
              <ParameterField key={`${report.id}:${name}`} name={name} property={p} required={report.parameters.required?.includes(name) ?? false}
                value={params[name]} onChange={(v) => setParams((all) => {
                  const next = { ...all };
                  if (v === undefined || v === '') delete next[name];
                  else next[name] = v;
                  return next;
                })} />
            ))}
            <Button type="submit" variant="contained" disabled={running}>Run</Button>
          </Stack>
          {report.description && <Typography variant="body2" sx={{ mt: 1 }}>{report.description}</Typography>}
        </Paper>
      )}
      {running && <LinearProgress aria-label="Running the report" sx={{ mb: 2 }} />}
      {/* A new run starts at its first page. */}
      {result && <ReportOutput key={result.run} report={result.report} params={result.params} data={result.data} />}
    </>
  );
}

function ParameterField({ name, property, required, value, onChange }: {
  name: string;
  property: ParameterProperty;
  required: boolean;
  value: ReportParams[string] | undefined;
  onChange(value: string | number | boolean | undefined): void;
}) {
  const label = property.title ?? name;
  if (property.type === 'boolean') {
    return <FormControlLabel label={label} control={<Checkbox checked={value === true} onChange={(e) => onChange(e.target.checked)} />} />;
  }
  if (property.enum) {
    return (
      <TextField select label={label} required={required} value={value ?? ''} onChange={(e) => onChange(e.target.value)} size="small" sx={{ minWidth: 200 }} helperText={property.description}>
        {!required && <MenuItem value=""><em>Any</em></MenuItem>}
        {property.enum.map((option) => <MenuItem key={String(option)} value={option}>{String(option)}</MenuItem>)}
      </TextField>
    );
  }
  const numeric = property.type === 'integer' || property.type === 'number';
  const type = isMonth(property) ? 'month' : property.format === 'date' ? 'date' : numeric ? 'number' : 'text';
  return (
    <TextField label={label} type={type} required={required} value={value ?? ''} size="small" helperText={property.description}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: property.minimum, max: property.maximum } }}
      onChange={(e) => onChange(numeric ? (e.target.value === '' ? undefined : Number(e.target.value)) : e.target.value)} />
  );
}

/** Rows shown at a time: a county-wide month can have tens of thousands (the exports have them all). */
const PAGE_SIZES = [100, 500, 1000];

function ReportOutput({ report, params, data }: { report: ReportInfo; params: ReportParams; data: ReportResult }) {
  const columns = data.columns.length ? data.columns : report.columns;
  const chart = data.chart ?? report.chart;
  const drawn = chart?.type === 'bar' ? data.chartData : undefined;
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[1]);
  const shown = useMemo(() => data.rows.slice(page * pageSize, (page + 1) * pageSize), [data.rows, page, pageSize]);
  const paged = data.rows.length > PAGE_SIZES[0];
  const paramText = Object.entries(params).map(([k, v]) => `${report.parameters.properties?.[k]?.title ?? k}: ${String(v)}`).join(', ');
  return (
    <Paper sx={{ p: 2 }}>
      <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" alignItems="center" sx={{ mb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>{report.title}{paramText ? ` (${paramText})` : ''}</Typography>
        <span className="no-print">
          <Button onClick={() => window.print()}>Print</Button>
          <Button href={reportsApi.downloadUrl(report.id, 'csv', params)} download>Export CSV</Button>
          <Button href={reportsApi.downloadUrl(report.id, 'xlsx', params)} download>Export XLSX</Button>
        </span>
      </Stack>
      {drawn && drawn.categories.length > 0 && (
        <>
          <BarChart title={chart?.title ? `${report.title}: ${chart.title}` : report.title} categories={drawn.categories} series={drawn.series.map((s) => ({ label: s.title, values: s.values }))} />
          {drawn.categoryCount > drawn.categories.length && (
            <Typography variant="body2">
              The chart shows the {drawn.categories.length} largest of {drawn.categoryCount.toLocaleString('en-US')} by {drawn.series[0]?.title}; the table has them all.
            </Typography>
          )}
        </>
      )}
      <TableContainer sx={{ mt: 2 }} tabIndex={0} role="region" aria-label={`Table: ${report.title}`}>
        <Table size="small" aria-label={report.title}>
          <TableHead>
            <TableRow>{columns.map((c) => <TableCell key={c.key} align={isNumeric(c) ? 'right' : 'left'}>{c.label}</TableCell>)}</TableRow>
          </TableHead>
          <TableBody>
            {shown.map((row, i) => (
              <TableRow key={page * pageSize + i}>{columns.map((c) => <TableCell key={c.key} align={isNumeric(c) ? 'right' : 'left'}>{formatCell(row[c.key], c)}</TableCell>)}</TableRow>
            ))}
            {data.rows.length === 0 && <TableRow><TableCell colSpan={columns.length}>Nothing to report for these parameters.</TableCell></TableRow>}
          </TableBody>
          {data.totals && (
            <TableFooter>
              <TableRow>
                {columns.map((c, i) => (
                  <TableCell key={c.key} align={isNumeric(c) ? 'right' : 'left'} sx={{ fontWeight: 700, color: 'text.primary', fontSize: 'inherit' }}>
                    {data.totals![c.key] !== undefined ? formatCell(data.totals![c.key], c) : i === 0 ? 'Total' : ''}
                    {/* Under one page of many, say the totals are of every row. */}
                    {i === 0 && shown.length < data.rows.length && ` (all ${data.rows.length.toLocaleString('en-US')} rows)`}
                  </TableCell>
                ))}
              </TableRow>
            </TableFooter>
          )}
        </Table>
      </TableContainer>
      {paged && (
        <TablePagination component="div" className="no-print" count={data.rows.length} page={page} rowsPerPage={pageSize} rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_, next) => setPage(next)} onRowsPerPageChange={(e) => { setPageSize(Number(e.target.value)); setPage(0); }}
          labelRowsPerPage="Rows per page" labelDisplayedRows={({ from, to, count }) => rowsText(from, to, count)} />
      )}
      {paged && shown.length < data.rows.length && (
        <Typography variant="body2" className="print-only">
          {rowsText(page * pageSize + 1, page * pageSize + shown.length, data.rows.length)}: export CSV or XLSX for every row.
        </Typography>
      )}
    </Paper>
  );
}

const rowsText = (from: number, to: number, count: number) => `Rows ${from.toLocaleString('en-US')}-${to.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}`;

function isNumeric(c: ReportColumn): boolean {
  return c.type === 'number' || c.type === 'integer' || c.type === 'percent';
}
