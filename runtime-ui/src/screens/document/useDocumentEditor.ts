/**
 * The editing state of one document: the data being typed, autosave (a debounced Save of the
 * draft), the unsaved copy in localStorage, Save, Submit with the signature, and conflicts.
 * Nothing typed is lost: every change is kept locally until the server has saved it, and a
 * refused save (conflict, timeout, server error) leaves the input on the page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type FieldError } from '../../api/client';
import { clearLocalCopies, findLocalCopy, keepLocalCopy } from '../../forms/drafts';
import { validateForm } from '../../forms/validation';
import { withServerComputed } from '../../forms/computed';
import { usDateTime } from '../../forms/county-time';
import { settleInputs } from '../../forms/settle';
import type { Conflict, DocumentRecord, FormDefinition } from './types';

export const AUTOSAVE_DELAY_MS = 1500;
export const SIGNATURE_PATH = '/signature/name';


export type SaveState = 'saved' | 'unsaved' | 'saving' | 'failed';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** A copy the form cannot change: JSON Forms updates lists in place. */
const frozen = <T,>(value: T): T => structuredClone(value);

/** Server field errors name the request body (`/data/youth/dob`); the form knows the data (`/youth/dob`). */
function dataErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ ...e, path: e.path.startsWith('/data') ? e.path.slice(5) : e.path }));
}

export function useDocumentEditor(initial: DocumentRecord, form: FormDefinition, timeZone: string | undefined) {
  const [doc, setDoc] = useState(initial);
  const [data, setDataState] = useState<Record<string, any>>(initial.data);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The problems listed above the form (after Submit, or the server's answer). */
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [submitTried, setSubmitTried] = useState(false);
  const [signature, setSignature] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const saved = useRef(frozen(initial.data));
  const version = useRef(initial.version);
  // Saves and submits go one after another, each with the version the one before it left: an
  // autosave still on its way when Submit is pressed would otherwise make the submit a conflict.
  const inTurn = useRef<Promise<unknown>>(Promise.resolve());
  const submitted = useRef(false);
  const oneAtATime = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const next = inTurn.current.catch(() => undefined).then(work);
    inTurn.current = next;
    return next;
  }, []);
  const latestData = useRef(data);
  latestData.current = data;

  const editable = doc.stage === 'draft' && doc.mayEdit !== false;
  useEffect(() => {
    if (doc.stage === 'draft') submitted.current = false; // reopened: saves go through again
  }, [doc.stage]);
  const cacheKey = `form:${form.key}:${form.version}`;

  // An unsaved copy left by a failed save, a timeout or a closed tab is put back, with a notice.
  useEffect(() => {
    const local = findLocalCopy(initial._id);
    if (!local || same(local.data, initial.data)) return;
    if (initial.stage !== 'draft' || initial.mayEdit === false) {
      clearLocalCopies(initial._id);
      setNotice(`Changes you had not saved (${usDateTime(local.savedAt, timeZone)}) could not be kept: the document can no longer be edited.`);
      return;
    }
    setDataState(local.data);
    setSaveState('unsaved');
    if (local.baseVersion === initial.version) {
      setNotice('Your unsaved changes were restored. They are being saved now.');
    } else {
      setNotice('Your unsaved changes were restored.');
      setConflict({ message: changedMessage(initial, timeZone), latest: initial });
    }
  }, [initial, timeZone]);

  const setData = useCallback((next: Record<string, any>) => {
    // At once, not at the next render: a Save that waited for the inputs to settle reads it.
    latestData.current = next;
    setDataState(next);
    if (same(next, saved.current)) return;
    setSaveState('unsaved');
    keepLocalCopy(initial._id, version.current, next);
  }, [initial._id]);

  const adopt = useCallback((record: DocumentRecord, sent: string) => {
    version.current = record.version;
    saved.current = frozen(record.data);
    setDoc((d) => ({ ...d, ...record, mayEdit: record.stage === 'draft' ? d.mayEdit : false }));
    const typedMeanwhile = JSON.stringify(latestData.current) !== sent;
    // Computed fields come back from the server; everything else stays as on the page.
    const next = withServerComputed(latestData.current, record.data, form.content.computed);
    setDataState(next);
    if (typedMeanwhile) {
      keepLocalCopy(record._id, record.version, next);
      setSaveState('unsaved');
    } else {
      saved.current = frozen(next);
      clearLocalCopies(record._id);
      setSaveState('saved');
    }
  }, [form.content.computed]);

  const onConflict = useCallback(async () => {
    const latest = await api.get<DocumentRecord>(`/api/documents/${initial._id}`);
    setConflict({ message: changedMessage(latest, timeZone), latest });
  }, [initial._id, timeZone]);

  const save = useCallback((): Promise<boolean> => {
    // "Saving…" from the moment Save is pressed: the typing it waits for may still be on its way,
    // and "All changes saved" must not show meanwhile.
    setSaveState('saving');
    return oneAtATime(async () => {
      await settleInputs();
      if (submitted.current) { // submitted meanwhile: nothing is left to save
        setSaveState('saved');
        return true;
      }
      const sent = JSON.stringify(latestData.current);
      setSaveState('saving');
      setSaveError(null);
      try {
        const record = await api.put<DocumentRecord>(`/api/documents/${initial._id}`, { data: JSON.parse(sent), version: version.current });
        adopt(record, sent);
        return true;
      } catch (error) {
        setSaveState('failed');
        if (error instanceof ApiError && error.status === 409) await onConflict().catch(() => setSaveError(error));
        else if (error instanceof ApiError && error.status === 422) setProblems(dataErrors(error.errors));
        else setSaveError(error);
        return false;
      }
    });
  }, [adopt, initial._id, onConflict, oneAtATime]);

  // Autosave: a Save of the draft a moment after the typing stops.
  useEffect(() => {
    if (!editable || saveState !== 'unsaved' || conflict) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [data, editable, saveState, conflict, save]);

  /** Errors shown inline: type and format problems as you type; everything once Submit was tried. */
  const liveErrors = editable ? validateForm(cacheKey, form.content.schema, data, submitTried ? 'submit' : 'draft') : [];
  const serverOnly = problems.filter((p) => p.path !== SIGNATURE_PATH && !liveErrors.some((l) => l.path === p.path));
  const inlineErrors = [...liveErrors, ...serverOnly];
  /** The list above the form: once Submit was tried it follows the typing, so fixed fields leave it. */
  const problemList = submitTried && editable
    ? [...inlineErrors, ...problems.filter((p) => p.path === SIGNATURE_PATH)]
    : problems;

  /** Typing the signature again clears what was said about the last one. */
  const changeSignature = useCallback((name: string) => {
    setSignature(name);
    setProblems((list) => (list.some((p) => p.path === SIGNATURE_PATH) ? list.filter((p) => p.path !== SIGNATURE_PATH) : list));
  }, []);

  const submit = useCallback((): Promise<FieldError[]> => oneAtATime(async () => {
    await settleInputs();
    setSubmitTried(true);
    const found = validateForm(cacheKey, form.content.schema, latestData.current, 'submit');
    if (!signature.trim()) found.push({ path: SIGNATURE_PATH, message: 'Signature: type your name to sign before submitting' });
    if (found.length > 0) {
      setProblems(found);
      return found;
    }
    const sent = JSON.stringify(latestData.current);
    setSubmitting(true);
    try {
      const record = await api.post<DocumentRecord>(`/api/documents/${initial._id}/submit`, { data: JSON.parse(sent), version: version.current, signature: { name: signature.trim() } });
      submitted.current = true;
      adopt(record, sent);
      clearLocalCopies(record._id);
      setProblems([]);
      return [];
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const list = dataErrors(error.errors);
        setProblems(list);
        return list;
      }
      if (error instanceof ApiError && error.status === 409) await onConflict().catch(() => setSaveError(error));
      else setSaveError(error);
      return [];
    } finally {
      setSubmitting(false);
    }
  }), [adopt, cacheKey, form.content.schema, initial._id, onConflict, oneAtATime, signature]);

  /** After a conflict: keep what is on the page and save it over the newer version. */
  const keepMine = useCallback(async () => {
    if (!conflict) return;
    version.current = conflict.latest.version;
    setDoc((d) => ({ ...d, ...conflict.latest }));
    setConflict(null);
    await save();
  }, [conflict, save]);

  /** After a conflict: show the saved version and drop the local changes. */
  const reloadSaved = useCallback(() => {
    if (!conflict) return;
    version.current = conflict.latest.version;
    saved.current = frozen(conflict.latest.data);
    setDoc((d) => ({ ...d, ...conflict.latest }));
    setDataState(conflict.latest.data);
    clearLocalCopies(conflict.latest._id);
    setConflict(null);
    setSaveState('saved');
  }, [conflict]);

  return {
    doc, data, setData, editable, saveState, saveError, conflict, notice, problems: problemList, inlineErrors,
    signature, setSignature: changeSignature, submitting, save, submit, keepMine, reloadSaved, dismissNotice: () => setNotice(null),
  };
}

function changedMessage(latest: DocumentRecord, timeZone: string | undefined): string {
  const who = latest.updatedByName ?? 'someone else';
  return `This document was changed by ${who} at ${usDateTime(latest.updatedAt, timeZone)} since your changes were started. Your changes are still on this page: keep them (they replace the newer version) or reload the saved version.`;
}
