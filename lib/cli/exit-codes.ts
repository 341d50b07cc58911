/** Exit codes are a public interface (DESIGN.md): scripts branch on them. */
export const ExitCode = {
  /** Everything checked passed. */
  success: 0,
  /** Checks ran and failed: data broke its contract, or a contract has problems. */
  checksFailed: 1,
  /** The command was called wrongly, or there was nothing it could process. */
  usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
