/** Tasks inbox: every open task the user may act on, soonest due first. */
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import CircularProgress from '@mui/material/CircularProgress';
import { FormError } from '../../app/FormError';
import { TaskTable } from './TaskTable';
import { useTasks } from './tasks';

export function TasksScreen() {
  const { tasks, error } = useTasks();
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Tasks</Typography>
      <FormError error={error} />
      {tasks === null && !error ? <CircularProgress aria-label="Loading tasks" /> : (
        <>
          {tasks && <Typography variant="body2" sx={{ mb: 1 }}>Total: {tasks.length}</Typography>}
          <TaskTable tasks={tasks ?? []} label="Pending tasks" empty="Nothing is waiting for you." />
        </>
      )}
    </>
  );
}

/** Menu badge: open tasks, and how many are past due. */
export function TaskBadge() {
  const { tasks } = useTasks();
  if (!tasks || tasks.length === 0) return null;
  const overdue = tasks.filter((t) => t.dueAt && new Date(t.dueAt).getTime() < Date.now()).length;
  return (
    <>
      <Box component="span" sx={badge('#fff', '#1f4e79')}>{tasks.length}<span className="visually-hidden"> open</span></Box>
      {overdue > 0 && <Box component="span" sx={badge('#b00020', '#fff')}>{overdue}<span className="visually-hidden"> overdue</span></Box>}
    </>
  );
}

const badge = (bg: string, fg: string) => ({
  ml: 0.75, px: 0.75, minWidth: 20, borderRadius: 10, bgcolor: bg, color: fg, fontSize: 12, fontWeight: 700, lineHeight: '20px', textAlign: 'center' as const,
  '& .visually-hidden': { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' },
});
