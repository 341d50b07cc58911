import { fileURLToPath } from 'node:url';

/** The folder holding lib/, lambdas/ and package.json: the app's code, wherever the project is. */
export const CODE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What synthesis runs, relative to `CODE_ROOT`, for the assembly cache's key: the app (lib/), the
 * handlers bundled into its assets (lambdas/), and the toolchain (the locked dependency versions,
 * the compiler and module settings esbuild bundles with).
 */
export const APP_CODE = ['lib', 'lambdas', 'package.json', 'package-lock.json', 'tsconfig.json'];
