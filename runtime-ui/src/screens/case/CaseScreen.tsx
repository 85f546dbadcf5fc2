/** One case: its number, youth and status, and the tabs (Client Summary, Advocacy Plan, Advocate Activity, Documents). */
import { useCallback, useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link } from '../../app/router';
import { caseLabel, caseName, loadCaseTypes, useLoaded, type CaseType } from '../home/definitions';
import { formatDate } from '../home/format';
import { ActivityTab } from './ActivityTab';
import { ClientSummaryTab } from './ClientSummaryTab';
import { DocumentsTab } from './DocumentsTab';
import { PlanTab } from './PlanTab';
import { CASE_TABS } from './tabs';

export interface CaseRecord {
  _id: string;
  caseType: string;
  caseTypeVersion: number;
  number: string;
  status: string;
  data: Record<string, any>;
  version: number;
}

const TAB_KEYS = Object.keys(CASE_TABS) as (keyof typeof CASE_TABS)[];

export function CaseScreen({ id }: { id: string }) {
  const [record, setRecord] = useState<CaseRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState(0);
  const { value: caseTypes } = useLoaded(loadCaseTypes);
  const reload = useCallback(() => api.get<CaseRecord>(`/api/cases/${id}`).then(setRecord, setError), [id]);
  useEffect(() => { void reload(); }, [reload]);
  const caseType: CaseType | undefined = caseTypes?.find((c) => c.key === record?.caseType);

  if (error) return <><Link to="/">Back to Home</Link><FormError error={error} /></>;
  if (!record || !caseType) return <CircularProgress aria-label="Loading" />;
  const name = caseName(caseType, record.data);
  return (
    <>
      <Link to="/">Back to Home</Link>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', my: 1 }}>
        <Typography variant="h5" component="h1">{caseLabel(caseType)} {record.number}{name ? ` — ${name}` : ''}</Typography>
        <Chip label={record.status} />
        {(caseType.display?.details ?? []).filter((d) => record.data[d.field] !== undefined && record.data[d.field] !== '').map((d) => (
          <Typography key={d.field} variant="body2">{d.label} {d.format === 'date' ? formatDate(record.data[d.field]) : String(record.data[d.field])}</Typography>
        ))}
      </Box>
      <Paper>
        <Tabs value={tab} onChange={(_e, v) => setTab(v)} variant="scrollable" allowScrollButtonsMobile aria-label={`${caseLabel(caseType)} sections`}>
          {TAB_KEYS.map((key, i) => <Tab key={key} label={CASE_TABS[key].label} id={`case-tab-${i}`} aria-controls={`case-panel-${i}`} />)}
        </Tabs>
        <Box role="tabpanel" id={`case-panel-${tab}`} aria-labelledby={`case-tab-${tab}`} sx={{ p: { xs: 1.5, md: 2 } }}>
          {TAB_KEYS[tab] === 'summary' && <ClientSummaryTab record={record} caseType={caseType} onSaved={setRecord} />}
          {TAB_KEYS[tab] === 'plan' && <PlanTab record={record} caseType={caseType} />}
          {TAB_KEYS[tab] === 'activity' && <ActivityTab record={record} caseType={caseType} />}
          {TAB_KEYS[tab] === 'documents' && <DocumentsTab record={record} caseType={caseType} />}
        </Box>
      </Paper>
    </>
  );
}
