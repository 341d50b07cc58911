import type { Dataset } from '../../lib/contracts/model.ts';
import { majorVersion, tableName } from '../../lib/contracts/table-name.ts';

/** `base` as a contract at `version` defines it: the table name derived from the version as the loader derives it. */
export function atVersion(base: Dataset, version: string): Dataset {
  return {
    ...base,
    names: { ...base.names, table: tableName(base.name, version) },
    contract: { ...base.contract, version, majorVersion: majorVersion(version) },
  };
}
