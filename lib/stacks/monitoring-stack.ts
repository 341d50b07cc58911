import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentIdentity } from '../config/names.ts';
import { DomainDashboard } from '../constructs/domain-dashboard.ts';
import { DomainHealthAlarm } from '../constructs/domain-health-alarm.ts';
import type { Dataset } from '../contracts/model.ts';
import type { ModelSource } from '../transforms/model.ts';

export interface MonitoringStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  readonly datasets: readonly Dataset[];
  readonly hasBuild: boolean;
  /** The domain's models with a `tests-failed` alarm, which the health alarm watches too. @default none */
  readonly testedModels?: readonly Pick<ModelSource, 'id' | 'domain' | 'name'>[];
  /** The environment's Athena price, for the dashboard's cost of the domain's workgroups. */
  readonly athenaUsdPerTerabyteScanned: number;
  /** The environment's `freshnessGraceSeconds`, for the dashboard's line where each freshness alarm fires. */
  readonly freshnessGraceSeconds: number;
}

/**
 * A domain's dashboard and health alarm, in a stack of its own: they name the domain's resources
 * and alarms and create none they depend on, so a change here never touches a stack holding data.
 * It deploys after the dataset stacks and the domain stack, so every alarm the health alarm names exists.
 */
export class MonitoringStack extends Stack {
  readonly dashboard: DomainDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    const { identity, domain, datasets, hasBuild, testedModels = [], athenaUsdPerTerabyteScanned, freshnessGraceSeconds, ...stackProps } = props;
    super(scope, id, stackProps);
    this.dashboard = new DomainDashboard(this, 'Dashboard', { identity, domain, datasets, hasBuild, testedModels, athenaUsdPerTerabyteScanned, freshnessGraceSeconds });
    // A domain without datasets or tested models has no error-level alarm to watch, and a composite needs one.
    if (datasets.length > 0 || testedModels.length > 0) new DomainHealthAlarm(this, 'Health', { identity, domain, datasets, testedModels });
  }
}
