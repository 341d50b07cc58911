import { runCli } from '../lib/cli/main.ts';
import { processIO } from '../lib/cli/io.ts';

process.exitCode = await runCli(process.argv.slice(2), processIO);
