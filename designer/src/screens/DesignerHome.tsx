/** The designer's start screen: what can be edited here. */
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Link } from '../../../runtime-ui/src/app/router';
import { paths } from '../app/paths';

const places = [
  { to: paths.processes, title: 'Processes', text: 'BPMN diagrams: who acts on each step, due dates, services, conditions, timers.' },
  { to: paths.forms, title: 'Forms', text: 'Sections and fields of each document, with a live preview.' },
  { to: paths.caseTypes, title: 'Case types', text: 'The case record and the deliverables it owes (due windows, reminders).' },
  { to: paths.lookups, title: 'Lookups', text: 'Drop-down lists: add, rename and retire codes.' },
  { to: paths.calendar, title: 'Holiday calendar', text: 'The county holidays used by due dates in business days.' },
];

export function DesignerHome() {
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Designer</Typography>
      <Typography sx={{ mb: 2 }}>Every change is checked before it is published as a new version. Cases and documents already started keep the version they began with.</Typography>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))' }}>
        {places.map((p) => (
          <Card key={p.to} variant="outlined">
            <CardActionArea component={Link} to={p.to}>
              <CardContent>
                <Typography variant="h6" component="h2">{p.title}</Typography>
                <Typography variant="body2">{p.text}</Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
      </Box>
    </>
  );
}
