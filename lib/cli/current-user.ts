import { userInfo } from 'node:os';

/** Who runs the command: audit records (releases, unlocks) name them. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}
