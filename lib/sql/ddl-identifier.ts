/** Athena DDL (Hive syntax) quotes identifiers with backticks, doubled inside; its DML uses double quotes. */
export function ddlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
