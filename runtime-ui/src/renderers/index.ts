/** The renderers every form is drawn with: JSON Forms' material set plus ours, chosen by tester rank. */
import { materialCells, materialRenderers } from '@jsonforms/material-renderers';
import type { JsonFormsRendererRegistryEntry } from '@jsonforms/core';
import { DateRenderer, dateTester } from './DateControl';
import { FileRenderer, fileTester } from './FileControl';
import { HhmmRenderer, hhmmTester } from './HhmmControl';
import { SignatureRenderer, signatureTester } from './SignatureField';
import { TableRenderer, tableTester } from './TableControl';

export const renderers: JsonFormsRendererRegistryEntry[] = [
  ...materialRenderers,
  { tester: dateTester, renderer: DateRenderer },
  { tester: hhmmTester, renderer: HhmmRenderer },
  { tester: tableTester, renderer: TableRenderer },
  { tester: fileTester, renderer: FileRenderer },
  { tester: signatureTester, renderer: SignatureRenderer },
];

export const cells = materialCells;
