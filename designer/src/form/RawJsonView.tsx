/** The schema and UI schema as text for power users; a change applies as soon as it is valid JSON. */
import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import type { FormParts } from './form-model';

function JsonText({ label, value, onChange }: { label: string; value: unknown; onChange: (next: any) => void }) {
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);
  // Follow edits made elsewhere (tree, properties) unless this text is being fixed.
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        /* the text is mid-edit and not JSON: replace it with the current value */
      }
      return JSON.stringify(value, null, 2);
    });
    setError(null);
  }, [value]);
  return (
    <TextField
      label={label} multiline fullWidth minRows={14} maxRows={30} value={text}
      onChange={(e) => {
        setText(e.target.value);
        try {
          const parsed = JSON.parse(e.target.value);
          setError(null);
          onChange(parsed);
        } catch (caught) {
          setError((caught as Error).message);
        }
      }}
      error={!!error} helperText={error ? `Not valid JSON yet: ${error}` : 'Kept in sync with the designer.'}
      slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace', fontSize: 12 } } }}
    />
  );
}

export function RawJsonView({ parts, onChange }: { parts: FormParts; onChange: (next: FormParts) => void }) {
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      <JsonText label="JSON Schema" value={parts.schema} onChange={(schema) => onChange({ ...parts, schema })} />
      <JsonText label="UI schema" value={parts.uischema} onChange={(uischema) => onChange({ ...parts, uischema })} />
    </Box>
  );
}
