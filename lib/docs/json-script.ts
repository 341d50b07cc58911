/**
 * A value as JSON that is safe inside an HTML `<script type="application/json">` element: `<`, `>`
 * and `&` are written as JSON escapes, so a contract description holding `</script>` cannot end
 * the element (JSON.parse reads the escapes back as the same characters).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}
