/**
 * Check and publish, the same for every kind: "Validate" runs the server's publish checks without
 * storing anything, "Publish" stores a new version (refused while the checks find problems; the
 * server refuses it anyway). Problems are listed here; a screen may also show them in place.
 */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { ApiError } from '../../../runtime-ui/src/api/client';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import { definitionsApi, type CheckResult, type Definition, type Kind, type Problem } from './definitions';

export interface PublishPanelProps {
  kind: Kind;
  definitionKey: string;
  /** The candidate content; throws (with a message) when the editor cannot produce it. */
  content: () => unknown;
  onChecked?: (result: CheckResult) => void;
  onPublished: (definition: Definition) => void;
}

export function PublishPanel({ kind, definitionKey, content, onChecked, onPublished }: PublishPanelProps) {
  const [busy, setBusy] = useState<'validate' | 'publish' | null>(null);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const show = (checked: CheckResult) => {
    setResult(checked);
    onChecked?.(checked);
  };

  const run = async (action: 'validate' | 'publish') => {
    setBusy(action);
    setError(null);
    setNotice(null);
    try {
      const candidate = await content();
      const checked = await definitionsApi.validate(kind, definitionKey, candidate);
      show(checked);
      if (action === 'validate' || !checked.valid) return;
      const published = await definitionsApi.publish(kind, definitionKey, candidate);
      setNotice(published.created ? `Published as version ${published.definition.version}.` : `Nothing changed: version ${published.definition.version} is already this content.`);
      onPublished(published.definition);
    } catch (caught) {
      // A refusal at publish time (someone else's change, a check added since) lists its problems too.
      if (caught instanceof ApiError && caught.status === 422) show({ valid: false, errors: caught.errors as Problem[], warnings: [] });
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Box sx={{ my: 1 }}>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        <Button variant="outlined" onClick={() => void run('validate')} disabled={busy !== null}>{busy === 'validate' ? 'Validating…' : 'Validate'}</Button>
        <Button variant="contained" onClick={() => void run('publish')} disabled={busy !== null}>{busy === 'publish' ? 'Publishing…' : 'Publish new version'}</Button>
      </Box>
      <FormError error={error} />
      {notice && <Alert severity="success" role="status" sx={{ my: 1 }}>{notice}</Alert>}
      {result && result.valid && !notice && <Alert severity="success" role="status" sx={{ my: 1 }}>No problems: this can be published.</Alert>}
      {result && !result.valid && (
        <Alert severity="error" role="alert" sx={{ my: 1 }} aria-label="Problems">
          {result.errors.length === 1 ? '1 problem' : `${result.errors.length} problems`} must be fixed before publishing:
          <ul style={{ margin: '4px 0 0', paddingLeft: 18 }} aria-label="Problems to fix">
            {result.errors.map((p) => <li key={p.path + p.message}>{p.path ? `${p.path}: ` : ''}{p.message}</li>)}
          </ul>
        </Alert>
      )}
      {result && result.warnings.length > 0 && (
        <Alert severity="warning" sx={{ my: 1 }}>
          Warnings (publishing is allowed):
          <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
            {result.warnings.map((p) => <li key={p.path + p.message}>{p.path ? `${p.path}: ` : ''}{p.message}</li>)}
          </ul>
        </Alert>
      )}
    </Box>
  );
}
