/**
 * How a name the producer wrote (`Air_Quality`, `OrderID`, `order-date`, `Unit Price`) becomes
 * the lakehouse's table or column name. Glue and Athena keep names in lower case and allow only
 * lowercase letters, digits and underscore, and a name that starts with a letter needs no quoting
 * in any engine. The rule is stated once, here, and the README and `contracts list --json` quote it.
 */
export const LAKEHOUSE_NAME_RULE =
  'lowercase; every run of characters other than a-z, 0-9 and _ becomes _; leading and trailing _ are dropped; ' +
  `a name that then starts with a digit gets the prefix n_`;

/** What every derived name looks like; a written name that yields nothing else is refused. */
const LAKEHOUSE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The lakehouse name derived from a written name (see `LAKEHOUSE_NAME_RULE`), or undefined when
 * the written name has no letter or digit to derive one from. Deriving a derived name gives it
 * back unchanged, so a name already in lakehouse form is kept as written.
 */
export function lakehouseNameOf(written: string): string | undefined {
  const derived = written
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const prefixed = /^[0-9]/.test(derived) ? `n_${derived}` : derived;
  return LAKEHOUSE_NAME.test(prefixed) ? prefixed : undefined;
}

/** The lakehouse name of a written name the checks accepted (`lakehouseNameOf` gave one). */
export function lakehouseName(written: string): string {
  const derived = lakehouseNameOf(written);
  if (derived === undefined) throw new Error(`unchecked name '${written}': no lakehouse name derives from it`);
  return derived;
}
