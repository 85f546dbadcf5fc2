/** Small pieces the custom renderers share. */

/** A DOM id for the control at a JSON Forms path (`items.0.cost` → `field-items-0-cost`). */
export function controlId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** JSON Forms passes a control's errors as one string (lines joined by newlines); show them as one line. */
export function errorText(errors: string | undefined): string {
  return (errors ?? '').split('\n').filter(Boolean).join('; ');
}

/** Styles that hide text on screen but keep it for screen readers. */
export const visuallyHidden = {
  border: 0, clip: 'rect(0 0 0 0)', height: 1, margin: -1, overflow: 'hidden', padding: 0, position: 'absolute', whiteSpace: 'nowrap', width: 1,
} as const;
