/**
 * The plan phases: the case's deliverables of the plan form in their configured order, each
 * with its start, projected end and actual end (from its document), status and due day. A phase
 * opens when the deliverable rules say so (status "upcoming" until then); Start opens its plan with the phase chosen.
 */
import { useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { mayDo, type CaseType } from '../home/definitions';
import { formatDate } from '../home/format';
import type { CaseRecord } from './CaseScreen';
import { startDocument, useCaseDocuments } from './caseDocuments';
import { CASE_TABS } from './tabs';

interface Deliverable { key: string; title: string; form: string; status: string; opensDate: string | null; dueDate: string | null; completedDate: string | null; documentId: string | null; blockedBy: string | null }

export const STATUS_LABELS: Record<string, string> = {
  upcoming: 'Not open yet', open: 'Open', alert: 'Due soon', overdue: 'Overdue', completed: 'Completed', 'completed-late': 'Completed late', 'not-required': 'Not required',
};

export function PlanTab({ record, caseType }: { record: CaseRecord; caseType: CaseType }) {
  const { form, columns } = CASE_TABS.plan;
  const session = useSession();
  const [deliverables, setDeliverables] = useState<Deliverable[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { documents, error: docError } = useCaseDocuments(record._id, form);
  useEffect(() => {
    api.get<Deliverable[]>(`/api/cases/${record._id}/deliverables`).then((all) => setDeliverables(all.filter((d) => d.form === form)), setError);
  }, [record._id, form]);
  const mayStart = mayDo(caseType, session.principal, `createDocument:${form}`);
  const start = async (deliverable: Deliverable) => {
    try {
      const draft = await startDocument(record._id, form);
      const prefix = `${CASE_TABS.plan.label} `;
      if (deliverable.title.startsWith(prefix)) {
        const phase = deliverable.title.slice(prefix.length);
        await api.put(`/api/documents/${draft._id}`, { data: { ...draft.data, [CASE_TABS.plan.phaseField]: phase }, version: draft.version });
      }
      navigate(`/documents/${draft._id}`);
    } catch (e) {
      setError(e);
    }
  };
  const docFor = (d: Deliverable) => documents?.find((doc) => doc._id === d.documentId || doc.deliverable?.key === d.key);
  return (
    <>
      <FormError error={error ?? docError} />
      {deliverables?.length === 0 && <Typography>This assignment owes no {CASE_TABS.plan.label} yet (it starts with the assignment date).</Typography>}
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label={`${CASE_TABS.plan.label} phases`}>
          <TableHead>
            <TableRow>
              <TableCell>Phase</TableCell><TableCell>Start Date</TableCell><TableCell>Projected End Date</TableCell><TableCell>Actual End Date</TableCell>
              <TableCell>Status</TableCell><TableCell>Due</TableCell><TableCell>Action</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {(deliverables ?? []).map((d) => {
              const doc = docFor(d);
              const openNow = ['open', 'alert', 'overdue'].includes(d.status);
              return (
                <TableRow key={d.key}>
                  <TableCell>{d.title}</TableCell>
                  <TableCell>{formatDate(doc?.data?.[columns.start])}</TableCell>
                  <TableCell>{formatDate(doc?.data?.[columns.projectedEnd])}</TableCell>
                  <TableCell>{formatDate(doc?.data?.[columns.actualEnd] ?? d.completedDate)}</TableCell>
                  <TableCell>{STATUS_LABELS[d.status] ?? d.status}{d.status === 'upcoming' && d.opensDate ? ` (opens ${formatDate(d.opensDate)})` : ''}</TableCell>
                  <TableCell>{formatDate(d.dueDate)}</TableCell>
                  <TableCell>
                    {doc ? <Link to={`/documents/${doc._id}`}>Open</Link>
                      : openNow && mayStart ? <Button size="small" variant="outlined" onClick={() => void start(d)} aria-label={`Start ${d.title}`}>Start</Button> : null}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
