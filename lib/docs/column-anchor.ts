/** The id of a column's row on its dataset page, so search results and links can point at it. */
export function columnAnchor(column: string): string {
  return `column-${column}`;
}
