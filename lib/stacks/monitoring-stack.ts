import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentIdentity } from '../config/names.ts';
import { DomainDashboard } from '../constructs/domain-dashboard.ts';
import type { Dataset } from '../contracts/model.ts';

export interface MonitoringStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  readonly datasets: readonly Dataset[];
  readonly hasBuild: boolean;
}

/**
 * A domain's dashboard, in a stack of its own: it names the domain's resources and creates none
 * they depend on, so a dashboard change never touches a stack holding data.
 */
export class MonitoringStack extends Stack {
  readonly dashboard: DomainDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    const { identity, domain, datasets, hasBuild, ...stackProps } = props;
    super(scope, id, stackProps);
    this.dashboard = new DomainDashboard(this, 'Dashboard', { identity, domain, datasets, hasBuild });
  }
}
