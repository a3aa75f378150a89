/**
 * A submitted form's text field as typed: '' when the field is absent or is a file (a file
 * input never reads as "[object File]", as `String(form.get(name))` would make it).
 */
export function formText(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}
