import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentIdentity } from '../config/names.ts';
import { type DomainOverview, PlatformDashboard } from '../constructs/platform-dashboard.ts';

export interface PlatformMonitoringStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly domains: readonly DomainOverview[];
  readonly athenaUsdPerTerabyteScanned: number;
}

/**
 * The environment's overview dashboard, alone in its stack: it names every domain's resources and
 * health alarms and creates nothing they depend on. The stage deploys it after every domain's
 * monitoring stack, so each health alarm it shows exists; no export ties it to them.
 */
export class PlatformMonitoringStack extends Stack {
  readonly dashboard: PlatformDashboard;

  constructor(scope: Construct, id: string, props: PlatformMonitoringStackProps) {
    const { identity, domains, athenaUsdPerTerabyteScanned, ...stackProps } = props;
    super(scope, id, stackProps);
    this.dashboard = new PlatformDashboard(this, 'Dashboard', { identity, domains, athenaUsdPerTerabyteScanned });
  }
}
