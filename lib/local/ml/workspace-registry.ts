/**
 * The local model registry of a workspace as every offline caller opens it: its versions under
 * `<workspace>/ml/registry/`, ARNs in the environment's account and region (as the offline
 * runtime names every resource), and each state change recorded in the workspace's `events.log`,
 * where EventBridge events go offline, so whatever acts on approvals can start from it.
 */
import { LocalNotifications } from '../runtime/local-notifications.ts';
import { runtimePaths } from '../runtime/runtime-paths.ts';
import type { Workspace } from '../workspace.ts';
import { LocalModelRegistry } from './local-registry.ts';

export function workspaceModelRegistry(workspace: Workspace, environment: { readonly account: string; readonly region: string }): LocalModelRegistry {
  const notifications = new LocalNotifications(runtimePaths(workspace));
  return new LocalModelRegistry({
    workspace: workspace.root,
    account: environment.account,
    region: environment.region,
    onStateChange: (event) => notifications.recordServiceEvent(event),
  });
}
