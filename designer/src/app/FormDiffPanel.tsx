/** What changed in a form or case type since the version before the one shown (the diff API). */
import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import { definitionsApi, type FormDiff } from './definitions';

export function FormDiffPanel({ kind, definitionKey, version }: { kind: 'form' | 'caseType'; definitionKey: string; version: number }) {
  const [diff, setDiff] = useState<FormDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setDiff(null);
    if (version > 1) definitionsApi.diff(kind, definitionKey, version - 1, version).then(setDiff, setError);
  }, [kind, definitionKey, version]);
  return (
    <Box component="section" aria-labelledby="diff-heading" sx={{ my: 2 }}>
      <Typography id="diff-heading" variant="h6" component="h2">Changes since version {version - 1 || '–'}</Typography>
      <FormError error={error} />
      {version === 1 && <Typography>This is the first version.</Typography>}
      {diff && diff.added.length + diff.removed.length + diff.changed.length === 0 && <Typography>No field changed (only layout or texts).</Typography>}
      {diff && (
        <ul aria-label="Field changes">
          {diff.added.map((f) => <li key={`a${f.pointer}`}>Added {f.label} ({f.pointer}){f.required ? ', required' : ''}</li>)}
          {diff.removed.map((f) => <li key={`r${f.pointer}`}>Removed {f.label} ({f.pointer})</li>)}
          {diff.changed.map((f) => (
            <li key={`c${f.pointer}`}>
              Changed {f.label} ({f.pointer}): {Object.entries(f.changes).map(([attr, c]) => `${attr} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ')}
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}
