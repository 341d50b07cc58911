import { join } from 'node:path';
import { readCdkJsonContext } from '../config/cdk-json.ts';
import { readSettings, SETTINGS_FILE, type LakehouseSettings } from '../config/settings.ts';

/** The settings of the project the command runs in (`cdk.json` of the working directory); throws `MissingProjectError`/`SettingsError`. */
export function projectSettings(): LakehouseSettings {
  return readSettings(readCdkJsonContext(join(process.cwd(), SETTINGS_FILE)), process.env);
}
