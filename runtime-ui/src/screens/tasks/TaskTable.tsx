/**
 * Open tasks with due dates, case links, the document each is about (by its form's title, so a
 * reviewer sees what they approve), claim and the decision buttons (each opens the decision dialog).
 */
import { useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { formatDateTime } from '../home/format';
import { caseLabel, caseName, loadCaseTypes, loadFormTitles, loadTimeZone, useLoaded } from '../home/definitions';
import { DecisionDialog } from './DecisionDialog';
import { decisionLabel, isOverdue, tasksChanged, type TaskRecord } from './tasks';

interface CaseLabel { number: string; name: string }
interface CaseSummary { _id: string; number: string; caseType: string; data: Record<string, unknown> }

/** The cases one listing request names at most. */
const IDS_PER_REQUEST = 100;

/**
 * Number and name of each case the tasks are on: the case listing asked for the cases by id, a
 * hundred at a time (a list, not an opened case: nothing is recorded as viewed).
 */
function useCaseLabels(tasks: TaskRecord[]): Record<string, CaseLabel> {
  const [labels, setLabels] = useState<Record<string, CaseLabel>>({});
  const ids = [...new Set(tasks.map((t) => t.caseId).filter((id): id is string => !!id))].sort().join(',');
  useEffect(() => {
    if (!ids) return;
    let live = true;
    const all = ids.split(',');
    const pages = Array.from({ length: Math.ceil(all.length / IDS_PER_REQUEST) }, (_, i) => all.slice(i * IDS_PER_REQUEST, (i + 1) * IDS_PER_REQUEST));
    Promise.all([loadCaseTypes(), ...pages.map((page) => api.get<{ items: CaseSummary[] }>(`/api/cases?ids=${page.join(',')}&limit=${page.length}`).then((r) => r.items, () => []))])
      .then(([caseTypes, ...found]) => live && setLabels(Object.fromEntries(found.flat().map((c) => [c._id, {
        number: c.number, name: caseName(caseTypes.find((t) => t.key === c.caseType), c.data),
      }]))));
    return () => { live = false; };
  }, [ids]);
  return labels;
}

export function TaskTable({ tasks, label, empty }: { tasks: TaskRecord[]; label: string; empty: string }) {
  const session = useSession();
  const { value: timeZone = 'America/Los_Angeles' } = useLoaded(loadTimeZone);
  const { value: formTitles = {} } = useLoaded(loadFormTitles);
  const labels = useCaseLabels(tasks);
  const { value: caseTypes } = useLoaded(loadCaseTypes);
  // The case column is named after the case type when there is one kind of case.
  const singular = caseTypes?.length === 1 ? caseLabel(caseTypes[0]) : 'Case';
  const [deciding, setDeciding] = useState<{ task: TaskRecord; decision: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const claim = async (task: TaskRecord) => {
    setError(null);
    try {
      await api.post(`/api/tasks/${task._id}/claim`);
      tasksChanged();
    } catch (e) {
      setError(e);
      tasksChanged();
    }
  };
  return (
    <>
      <FormError error={error} />
      {tasks.length === 0 ? <Typography sx={{ my: 1 }}>{empty}</Typography> : (
      <TableContainer component={Paper}>
        <Table size="small" aria-label={label}>
          <TableHead>
            <TableRow>
              <TableCell>Task</TableCell><TableCell>{singular}</TableCell><TableCell>Due</TableCell><TableCell>Claimed by</TableCell><TableCell>Action</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {tasks.map((task) => {
              const caseLabel = task.caseId ? labels[task.caseId] : undefined;
              const mine = task.assignee === session.principal?.userId;
              return (
                <TableRow key={task._id} hover>
                  <TableCell>{task.name}</TableCell>
                  <TableCell>
                    {task.caseId && <Link to={`/cases/${task.caseId}`}>{caseLabel ? `${caseLabel.number} ${caseLabel.name}`.trim() : `Open ${singular.toLowerCase()}`}</Link>}
                    {task.documentId && <> · <Link to={`/documents/${task.documentId}`}>{(task.form && formTitles[task.form]) || 'Document'}</Link></>}
                  </TableCell>
                  <TableCell>
                    {task.dueAt ? formatDateTime(task.dueAt, timeZone) : '—'}
                    {isOverdue(task) && <Chip size="small" color="error" label="Overdue" sx={{ ml: 1 }} />}
                  </TableCell>
                  <TableCell>{task.assignee ? (mine ? 'You' : task.assigneeName ?? 'Someone else') : '—'}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
                      {!task.assignee && <Button size="small" variant="outlined" onClick={() => void claim(task)}>Claim</Button>}
                      {task.decisions.map((decision) => (
                        <Button key={decision} size="small" variant={decision === 'reject' ? 'outlined' : 'contained'} color={decision === 'reject' ? 'error' : 'primary'}
                          onClick={() => setDeciding({ task, decision })}
                          aria-label={`${decisionLabel(decision)} ${task.name}${caseLabel ? ` for ${caseLabel.number}` : ''}`}>
                          {decisionLabel(decision)}
                        </Button>
                      ))}
                    </Stack>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
      )}
      {/* kept open while the list reloads, so a refusal (e.g. done by someone else) stays readable */}
      {deciding && (
        <DecisionDialog task={deciding.task} decision={deciding.decision}
          caseLabel={deciding.task.caseId ? labels[deciding.task.caseId]?.number : undefined} onClose={() => setDeciding(null)} />
      )}
    </>
  );
}
