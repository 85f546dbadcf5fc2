/** Loads a definition's versions and one of them (the latest at first), and a picker to open another. */
import { useCallback, useEffect, useState } from 'react';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { definitionsApi, type Definition, type Kind } from './definitions';

export interface LoadedDefinition<C> {
  definition: Definition<C> | null;
  versions: number[];
  error: unknown;
  open: (version?: number) => Promise<void>;
}

export function useDefinition<C = any>(kind: Kind, key: string): LoadedDefinition<C> {
  const [definition, setDefinition] = useState<Definition<C> | null>(null);
  const [versions, setVersions] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  const open = useCallback(async (version?: number) => {
    try {
      setError(null);
      const list = await definitionsApi.versions(kind, key);
      setVersions(list.map((v) => v.version));
      setDefinition(await definitionsApi.version<C>(kind, key, version ?? list[list.length - 1].version));
    } catch (caught) {
      setError(caught);
    }
  }, [kind, key]);
  useEffect(() => {
    void open();
  }, [open]);
  return { definition, versions, error, open };
}

export function VersionPicker({ versions, value, onChange }: { versions: number[]; value: number; onChange: (version: number) => void }) {
  return (
    <TextField select label="Version" value={value} onChange={(e) => onChange(Number(e.target.value))} sx={{ minWidth: 140 }}>
      {versions.map((v) => <MenuItem key={v} value={v}>{v === versions[versions.length - 1] ? `${v} (latest)` : v}</MenuItem>)}
    </TextField>
  );
}
