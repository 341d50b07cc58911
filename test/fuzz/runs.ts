/**
 * How many cases a property tries: small enough for `npm test` on two cores, scaled up by
 * `FUZZ_SCALE` for a longer hunt (`FUZZ_SCALE=20 npx vitest run test/fuzz --testTimeout=0`).
 */
export function runs(inSuite: number): number {
  const scale = Number(process.env['FUZZ_SCALE'] ?? '1');
  return Math.max(1, Math.round(inSuite * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
