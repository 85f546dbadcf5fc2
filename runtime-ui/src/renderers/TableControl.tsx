/**
 * A list of flat entries (goals, items, people, receipts) as an editable table: one row per entry,
 * one column per field, Add and Remove buttons, and a Total row summing each number column (computed
 * columns included, e.g. a line total). Each cell is rendered by the normal control for its field,
 * so formats, lookups and custom renderers (a file upload cell) work inside the table.
 *
 * Tester: an array of objects whose fields are all single values (text, numbers, true/false, choices).
 * The columns are the item's fields, or the Controls of the array control's `options.detail` layout
 * when given (their order and options, e.g. `{ "format": "file" }` for a column).
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableFooter from '@mui/material/TableFooter';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import DeleteIcon from '@mui/icons-material/Delete';
import {
  and, createDefaultValue, isObjectArrayControl, rankWith, schemaMatches, Resolve,
  type ArrayControlProps, type ControlElement, type JsonSchema, type UISchemaElement,
} from '@jsonforms/core';
import { JsonFormsDispatch, withJsonFormsArrayControlProps, useJsonForms } from '@jsonforms/react';
import { controlId, errorText, visuallyHidden } from './control-helpers';

const SINGLE_VALUE = new Set(['string', 'number', 'integer', 'boolean']);

function isFlatItems(items: JsonSchema | undefined): boolean {
  const props = items && !Array.isArray(items) ? items.properties : undefined;
  return !!props && Object.values(props).every((p) => typeof p.type === 'string' && SINGLE_VALUE.has(p.type));
}

interface Column {
  name: string;
  control: ControlElement;
  schema: JsonSchema;
}

function controlsIn(element: UISchemaElement | undefined): ControlElement[] {
  if (!element) return [];
  if (element.type === 'Control') return [element as ControlElement];
  return ((element as { elements?: UISchemaElement[] }).elements ?? []).flatMap(controlsIn);
}

function columnsOf(itemSchema: JsonSchema, uischema: ControlElement): Column[] {
  const detail = controlsIn(uischema.options?.detail as UISchemaElement | undefined);
  const props = itemSchema.properties ?? {};
  const controls: ControlElement[] = detail.length > 0
    ? detail
    : Object.keys(props).map((name) => ({ type: 'Control', scope: `#/properties/${name}` }));
  return controls
    .map((control) => {
      const name = control.scope.split('/').pop()!;
      return { name, control, schema: props[name] };
    })
    .filter((c) => c.schema);
}

const isNumberColumn = (c: Column) => c.schema.type === 'number' || c.schema.type === 'integer';

function total(rows: unknown[], name: string): number {
  return rows.reduce<number>((sum, row) => {
    const value = (row as Record<string, unknown> | null)?.[name];
    return typeof value === 'number' ? sum + value : sum;
  }, 0);
}

const formatTotal = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function TableControl(props: ArrayControlProps) {
  const { schema, rootSchema, uischema, path, addItem, removeItems, label, errors, enabled, visible, renderers, cells, required } = props;
  const ctx = useJsonForms();
  if (!visible) return null;
  // Depending on the JSON Forms version, `data` is the list or its length: read the list itself.
  const rows: unknown[] = (Resolve.data(ctx.core?.data, path) as unknown[] | undefined) ?? [];
  const count = rows.length;
  const columns = columnsOf(schema, uischema as ControlElement);
  const numbers = columns.filter(isNumberColumn);
  const problem = errorText(errors);
  const tableId = controlId(path);
  return (
    <Box component="section" aria-labelledby={`${tableId}-label`} sx={{ my: 1 }} data-path={path}>
      <Typography id={`${tableId}-label`} variant="subtitle1" component="h3">{label}{required ? ' *' : ''}</Typography>
      {/* width 0 + min-width 100%: the table scrolls inside the form instead of widening the page. */}
      <Box sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
        <Table size="small" aria-labelledby={`${tableId}-label`}>
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">#</TableCell>
              {columns.map((c) => <TableCell key={c.name} component="th" scope="col">{c.schema.title ?? c.name}</TableCell>)}
              {enabled && <TableCell component="th" scope="col"><Box component="span" sx={visuallyHidden}>Remove</Box></TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {count === 0 && (
              <TableRow><TableCell colSpan={columns.length + 2}>No entries yet.</TableCell></TableRow>
            )}
            {Array.from({ length: count }, (_, i) => (
              <TableRow key={i}>
                <TableCell>{i + 1}</TableCell>
                {columns.map((c) => (
                  <TableCell key={c.name} data-path={`${path}.${i}.${c.name}`} sx={{ minWidth: c.schema.enum || c.schema.oneOf ? 220 : c.schema.type === 'string' ? 180 : 110, verticalAlign: 'top' }}>
                    <JsonFormsDispatch
                      schema={schema}
                      uischema={{ ...c.control, label: `${c.schema.title ?? c.name} (row ${i + 1})` } as ControlElement}
                      path={`${path}.${i}`}
                      enabled={enabled}
                      renderers={renderers}
                      cells={cells}
                    />
                  </TableCell>
                ))}
                {enabled && (
                  <TableCell>
                    <IconButton aria-label={`Remove row ${i + 1}`} onClick={() => removeItems?.(path, [i])()}><DeleteIcon /></IconButton>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
          {numbers.length > 0 && count > 0 && (
            <TableFooter>
              <TableRow>
                <TableCell component="th" scope="row">Total</TableCell>
                {columns.map((c) => (
                  <TableCell key={c.name} data-total={c.name} sx={{ fontWeight: 600, color: 'text.primary', fontSize: '0.9rem' }}>
                    {isNumberColumn(c) ? formatTotal(total(rows, c.name)) : ''}
                  </TableCell>
                ))}
                {enabled && <TableCell />}
              </TableRow>
            </TableFooter>
          )}
        </Table>
      </Box>
      {problem && <Typography color="error" variant="body2" role="alert">{problem}</Typography>}
      {enabled && (
        <Button className="no-print" sx={{ mt: 1 }} variant="outlined" onClick={addItem(path, createDefaultValue(schema, rootSchema))}>
          Add a row to {label}
        </Button>
      )}
    </Box>
  );
}

export const tableTester = rankWith(5, and(isObjectArrayControl, schemaMatches((s) => isFlatItems(s.items as JsonSchema | undefined))));
export const TableRenderer = withJsonFormsArrayControlProps(TableControl);
