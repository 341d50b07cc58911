import type { ModelRegistry } from '../../lib/ml/model-registry.ts';
import { parseRegisterEvent, registeredVersion, registrationOf, type RegisteredVersion, type RegisterSettings } from '../../lib/ml/register-request.ts';

/**
 * Registers the run's model as a version of its group. The run id is the registry's idempotency
 * token, so a Register retried after a lost response returns the version the first call made.
 */
export function createRegisterHandler(registry: ModelRegistry, settings: RegisterSettings): (event: unknown) => Promise<RegisteredVersion> {
  return async (event) => registeredVersion(await registry.register(registrationOf(parseRegisterEvent(event), settings)));
}
