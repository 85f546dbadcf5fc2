/**
 * The case data part shown as the Client Summary, rendered from the case type's schema and UI
 * schema; editable when the user's roles may edit it, saved with PUT /api/cases/:id/data.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { api, ApiError } from '../../api/client';
import { FormError } from '../../app/FormError';
import { useSession } from '../../app/session';
import { mayDo, type CaseType } from '../home/definitions';
import type { CaseRecord } from './CaseScreen';
import { countyTimeZone, todayIn, usDate } from '../../forms/county-time';
import { FormView } from '../../forms/FormView';
import { withLookupChoices } from '../../forms/lookups';
import { settleInputs } from '../../forms/settle';
import { CASE_TABS } from './tabs';

/** The part of the case type's UI schema whose controls all show `field`, or a plain layout of it. */
function uiFor(uischema: any, field: string): any {
  const prefix = `#/properties/${field}`;
  const scopes = (el: any): string[] => [...(el?.scope ? [el.scope] : []), ...(el?.elements ?? []).flatMap(scopes)];
  const find = (el: any): any => {
    if (!el) return null;
    const all = scopes(el);
    if (el.type !== 'Control' && all.length > 0 && all.every((s) => s.startsWith(prefix))) return el;
    for (const child of el.elements ?? []) {
      const found = find(child);
      if (found) return found;
    }
    return null;
  };
  const found = find(uischema);
  return found ? { ...found, type: found.type === 'Group' ? 'VerticalLayout' : found.type } : { type: 'Control', scope: prefix };
}

export function ClientSummaryTab({ record, caseType, onSaved }: { record: CaseRecord; caseType: CaseType; onSaved: (r: CaseRecord) => void }) {
  const field = CASE_TABS.summary.field;
  const session = useSession();
  const editable = mayDo(caseType, session.principal, `editCase:/${field}`);
  const [data, setData] = useState<Record<string, any>>(record.data);
  const latest = useRef(data);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const uischema = useMemo(() => uiFor(caseType.uischema, field), [caseType.uischema, field]);
  // Drawn like every form: lookups as choices, our renderers, US dates, the server's field errors inline.
  const [renderSchema, setRenderSchema] = useState<object | null>(null);
  const [today, setToday] = useState('');
  useEffect(() => {
    let live = true;
    void Promise.all([withLookupChoices(caseType.schema, record.data), countyTimeZone()]).then(([schema, zone]) => {
      if (!live) return;
      setRenderSchema(schema);
      setToday(usDate(todayIn(zone)));
    }, (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [caseType.schema, record.data]);
  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await settleInputs();
      const updated = await api.put<CaseRecord>(`/api/cases/${record._id}/data`, { data: { ...record.data, [field]: latest.current[field] ?? {} }, version: record.version });
      onSaved(updated);
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={2}>
      {!editable && <Alert severity="info">You may read the {CASE_TABS.summary.label}; your role does not edit it.</Alert>}
      <FormError error={error} />
      {saved && <Alert severity="success" role="status">Saved.</Alert>}
      {renderSchema && (
        <FormView schema={renderSchema} uischema={uischema} data={data} errors={error instanceof ApiError ? error.errors : []} readonly={!editable}
          caseId={record._id} today={today} onChange={(next) => { latest.current = next; setData(next); setSaved(false); }} />
      )}
      {editable && <div><Button variant="contained" onClick={() => void save()} disabled={busy}>{busy ? 'Saving…' : 'Save'}</Button></div>}
    </Stack>
  );
}
