/**
 * Moves the focus to the field a problem names (a JSON Forms path such as `items.0.cost`), so an
 * error list can link to each field. Custom renderers mark their inputs with `data-path`; the
 * material renderers use ids made from the control's scope (`#/properties/youth/properties/dob-input`).
 * A path with no field of its own (a list entry) focuses its nearest enclosing field.
 */
const FOCUSABLE = 'input:not([type=hidden]):not([aria-hidden=true]), textarea, select, [contenteditable=true], [role=spinbutton], [role=combobox], button, a[href]';

function scopeOf(path: string): string {
  return `#/properties/${path.split('.').join('/properties/')}`;
}

function candidate(path: string): HTMLElement | null {
  const marked = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
  if (marked) return marked;
  const scope = scopeOf(path);
  return document.getElementById(`${scope}-input`) ?? document.getElementById(scope);
}

export function focusField(path: string): boolean {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const found = candidate(parts.slice(0, n).join('.'));
    if (!found) continue;
    const container = found.closest<HTMLElement>('.MuiFormControl-root') ?? found;
    const target = found.matches(FOCUSABLE) && !found.matches('[aria-hidden=true]') && container === found
      ? found
      : container.querySelector<HTMLElement>(FOCUSABLE) ?? found;
    target.scrollIntoView({ block: 'center' });
    target.focus();
    return true;
  }
  return false;
}
