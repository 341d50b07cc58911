import { type RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import {
  athenaPipelineWorkgroupName,
  athenaResultsPrefix,
  athenaWorkgroupName,
  domainAlertTopicName,
  domainStateMachineLogGroupPrefix,
  type EnvironmentIdentity,
  glueDatabaseName,
  goldDomainPrefix,
  goldPrefix,
  ML_RUNS_TABLE,
  pascalCase,
  s3Uri,
  silverDomainPrefix,
} from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import type { Domain } from '../contracts/model.ts';
import { AlertTopic } from '../constructs/alert-topic.ts';
import { BytesScannedAlarms } from '../constructs/bytes-scanned-alarms.ts';
import { DomainBuild } from '../constructs/domain-build.ts';
import { FreshnessCheck } from '../constructs/freshness-check.ts';
import { ModelTestAlarms, modelsWithErrorTests } from '../constructs/model-test-alarms.ts';
import { DomainMaintenance } from '../constructs/domain-maintenance.ts';
import { DomainRouter } from '../constructs/domain-router.ts';
import { AthenaDdlProvider, IcebergTable } from '../constructs/iceberg-table.ts';
import { ModelPromotion } from '../constructs/model-promotion.ts';
import { ModelTraining } from '../constructs/model-training.ts';
import { PipelineLogKey } from '../constructs/pipeline-log-key.ts';
import { featureContractVersions } from '../ml/feature-inputs.ts';
import type { MlModel } from '../ml/model.ts';
import { mlRunsCreateStatement, mlRunsTableColumns } from '../ml/run-tracking-queries.ts';
import { freshnessThresholdSeconds } from '../pipeline/freshness-threshold.ts';
import { domainMaintainedTables } from '../pipeline/maintenance-steps.ts';
import { type BuildPlan, buildPlan } from '../transforms/build-plan.ts';
import { type GoldTable, type GoldTablePlacement, goldTables } from '../transforms/gold-table.ts';
import type { ModelSource } from '../transforms/model.ts';
import type { ModelsAtSynth } from '../transforms/models-at-synth.ts';
import { PlatformImport } from './platform-exports.ts';
import { environmentRemovalPolicy } from './removal-policy.ts';

export interface DomainStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly environment: EnvironmentSettings;
  readonly domain: Domain;
  /** Every domain's models with their inferred columns; the domain's own get a build. @default no build */
  readonly models?: ModelsAtSynth;
  /** Every domain's ML models; the domain's own get their training (they need `models`). @default none */
  readonly mlModels?: readonly MlModel[];
}

/**
 * The CDK context value recorded as the git revision of every registered model version
 * (`-c gitRevision=$(git rev-parse HEAD)` at deploy); a synth without it records `unrecorded`.
 */
export const GIT_REVISION_CONTEXT = 'gitRevision';
const GIT_REVISION_UNRECORDED = 'unrecorded';
const GIT_REVISION = /^[0-9a-f]{7,64}$/;

/** Athena's current engine; pinned so an AWS default change never alters query behaviour unannounced. */
const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/**
 * A domain's shared resources in one environment: its Glue database, its two Athena workgroups
 * (so query cost is per domain: the analysts' one, whose scan cutoff bounds ad-hoc queries, and
 * the pipeline one, where loads, builds, maintenance and table DDL read whole tables), its alert
 * topic, the owner of its Iceberg tables (the Athena DDL provider its dataset stacks use, and the
 * gold tables of its models), the router of its landed files, its table maintenance and its
 * models' build.
 * Its datasets' tables and pipelines live in dataset stacks.
 */
export class DomainStack extends Stack {
  readonly database: glue.CfnDatabase;
  /** The analysts' workgroup, with the environment's `athenaBytesScannedCutoffPerQuery`. */
  readonly workgroup: athena.CfnWorkGroup;
  /** Where every query the platform runs for the domain runs, with `pipelineBytesScannedCutoffPerQuery` if set. */
  readonly pipelineWorkgroup: athena.CfnWorkGroup;
  readonly alerts: AlertTopic;
  readonly platform: PlatformImport;
  readonly tableOwner: AthenaDdlProvider;
  readonly router: DomainRouter;
  /** Absent for a domain none of whose datasets declares a frequency or freshness SLA. */
  readonly freshnessCheck?: FreshnessCheck;
  /** Encrypts the execution logs of the domain's state machines (its pipelines and maintenance). */
  readonly stateMachineLogKey: PipelineLogKey;
  /** Absent for a domain without datasets: there is nothing to maintain. */
  readonly maintenance?: DomainMaintenance;
  /** Absent for a domain without models. */
  readonly build?: DomainBuild;
  /** The models whose build publishes test failures, each with its `tests-failed` alarm here, beside the build. */
  readonly testedModels: readonly ModelSource[];
  /**
   * By table name: the Iceberg tables of the domain's `table` and `incremental` models and their
   * staging tables, owned by `tableOwner` like silver tables; the build depends on them.
   */
  readonly goldTables: ReadonlyMap<string, IcebergTable>;
  /** By model name: the training of each of the domain's ML models. */
  readonly training: ReadonlyMap<string, ModelTraining>;
  /** By model name: the promotion of each of the domain's ML models' approved versions. */
  readonly promotion: ReadonlyMap<string, ModelPromotion>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    const { identity, domain } = props;
    const removalPolicy = environmentRemovalPolicy(this, props.environment);
    Tags.of(this).add('lakehouse:domain', domain.name);
    Tags.of(this).add('lakehouse:owner-team', domain.owner.team);
    this.platform = new PlatformImport(this, 'Platform', identity);
    const databaseName = glueDatabaseName(identity, domain.name);
    const pipelineWorkGroupName = athenaPipelineWorkgroupName(identity, domain.name);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: {
        name: databaseName,
        description: `Tables of the ${domain.name} domain, owned by ${domain.owner.team} (${domain.owner.email})`,
      },
    });
    this.database.applyRemovalPolicy(removalPolicy);

    const workgroupConfiguration = (
      bytesScannedCutoffPerQuery: number | undefined,
      enforceWorkGroupConfiguration: boolean,
    ): athena.CfnWorkGroup.WorkGroupConfigurationProperty => ({
      enforceWorkGroupConfiguration,
      publishCloudWatchMetricsEnabled: true,
      ...(bytesScannedCutoffPerQuery === undefined ? {} : { bytesScannedCutoffPerQuery }),
      engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
      resultConfiguration: {
        outputLocation: s3Uri(this.platform.bucketName('athena-results'), athenaResultsPrefix(domain.name)),
        expectedBucketOwner: this.account,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.platform.key.keyArn },
      },
    });
    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: athenaWorkgroupName(identity, domain.name),
      description: `Queries of the ${domain.name} domain`,
      state: 'ENABLED',
      workGroupConfiguration: workgroupConfiguration(props.environment.athenaBytesScannedCutoffPerQuery, true),
    });
    this.pipelineWorkgroup = new athena.CfnWorkGroup(this, 'PipelineWorkgroup', {
      name: pipelineWorkGroupName,
      description: `Loads, builds, maintenance and table DDL of the ${domain.name} domain`,
      state: 'ENABLED',
      // Not enforced: a workgroup's enforced results location overrides the query's, and each
      // pipeline writes its load results under its own prefix, the only one its role may read.
      // Queries that name no location (build, maintenance, DDL) still get the domain's, encrypted.
      workGroupConfiguration: workgroupConfiguration(props.environment.pipelineBytesScannedCutoffPerQuery, false),
    });

    this.alerts = new AlertTopic(this, 'Alerts', {
      topicName: domainAlertTopicName(identity, domain.name),
      encryptionKey: this.platform.key,
      emails: domain.alertEmails,
    });
    new BytesScannedAlarms(this, 'BytesScannedAlarms', {
      identity,
      domain: domain.name,
      workgroups: { workgroup: this.workgroup.name, 'pipeline-workgroup': this.pipelineWorkgroup.name },
      settings: props.environment.alarms,
      alertTopic: this.alerts.topic,
    });

    const tables = {
      key: this.platform.key,
      athenaResultsBucketName: this.platform.bucketName('athena-results'),
      tablesBucketName: this.platform.bucketName('silver'),
      tablesPrefix: silverDomainPrefix(domain.name),
    };
    const goldBucket = this.platform.bucketName('gold');
    const goldLocation = { bucketName: goldBucket, prefix: goldDomainPrefix(domain.name) };
    const plan = props.models === undefined ? undefined : buildPlan(props.models.dag, props.models.columns, domain.name, {
      database: (name) => glueDatabaseName(identity, name),
    });
    const ownedGoldTables =
      props.models === undefined || plan === undefined ? [] : modelGoldTables(plan, props.models, { database: databaseName, goldBucket });
    // An ML model's predictions are a gold table of its domain, whoever owns its feature model.
    const ownMlModels = (props.mlModels ?? []).filter((model) => model.domain === domain.name);
    const ownsGoldTables = ownedGoldTables.length > 0 || ownMlModels.length > 0;
    this.tableOwner = new AthenaDdlProvider(this, 'TableOwner', {
      identity,
      domain: domain.name,
      databaseName,
      workGroupName: pipelineWorkGroupName,
      ...tables,
      ...(ownsGoldTables ? { gold: goldLocation } : {}),
      removalPolicy,
    });
    this.goldTables = this.addGoldTables(ownedGoldTables, databaseName, pipelineWorkGroupName);

    this.router = new DomainRouter(this, 'Router', {
      identity,
      domain: domain.name,
      datasets: domain.datasets,
      landingBucketName: this.platform.bucketName('landing'),
      alertTopic: this.alerts.topic,
      key: this.platform.key,
      removalPolicy,
    });

    if (domain.datasets.some((dataset) => freshnessThresholdSeconds(dataset) !== undefined)) {
      this.freshnessCheck = new FreshnessCheck(this, 'FreshnessCheck', {
        identity,
        domain: domain.name,
        datasets: domain.datasets,
        settings: props.environment.alarms,
        removalPolicy,
      });
    }

    this.stateMachineLogKey = new PipelineLogKey(this, 'StateMachineLogKey', {
      logGroupNamePrefix: domainStateMachineLogGroupPrefix(identity, domain.name),
      description: `Execution logs of the ${domain.name} domain's state machines in ${identity.environment}`,
      removalPolicy,
    });

    const maintainedTables = domainMaintainedTables(identity, domain, {
      modelTables: ownedGoldTables.map(({ table }) => table.table),
      mlModels: ownMlModels.map((model) => model.name),
    });
    if (maintainedTables.length > 0) {
      this.maintenance = new DomainMaintenance(this, 'Maintenance', {
        identity,
        domain: domain.name,
        tables: maintainedTables,
        schedule: domain.maintenanceSchedule,
        databaseName,
        workGroupName: pipelineWorkGroupName,
        alertTopic: this.alerts.topic,
        logKey: this.stateMachineLogKey.key,
        ...tables,
        ...(ownsGoldTables ? { gold: goldLocation } : {}),
        removalPolicy,
      });
    }

    if (plan !== undefined && plan.layers.length > 0) {
      this.build = new DomainBuild(this, 'Build', {
        identity,
        plan,
        databaseName,
        workGroupName: pipelineWorkGroupName,
        key: this.platform.key,
        logKey: this.stateMachineLogKey.key,
        alertTopic: this.alerts.topic,
        athenaResultsBucketName: this.platform.bucketName('athena-results'),
        silverBucketName: this.platform.bucketName('silver'),
        goldBucketName: goldBucket,
        auditBucketName: this.platform.bucketName('audit'),
        removalPolicy,
      });
      // A build started before its tables exist would fail on its first INSERT.
      for (const table of this.goldTables.values()) this.build.stateMachine.node.addDependency(table);
      this.testedModels = modelsWithErrorTests(plan);
      new ModelTestAlarms(this, 'ModelTestAlarms', {
        identity,
        models: this.testedModels,
        settings: props.environment.alarms,
        alertTopic: this.alerts.topic,
      });
    } else {
      this.testedModels = [];
    }

    this.training = this.addTraining(props, pipelineWorkGroupName, removalPolicy);
    this.promotion = this.addPromotion(props, pipelineWorkGroupName, removalPolicy);
  }

  private addPromotion(props: DomainStackProps, workGroupName: string, removalPolicy: RemovalPolicy): Map<string, ModelPromotion> {
    const promotion = new Map<string, ModelPromotion>();
    for (const [name, training] of this.training) {
      const { model } = training;
      const featureColumns = props.models!.columns.get(model.featureModel);
      if (featureColumns === undefined) throw new Error(`ML model '${model.id}': its feature model '${model.featureModel}' has no inferred columns`);
      const promote = new ModelPromotion(training.node.scope!, `${training.node.id}Promotion`, {
        ...this.mlMachineProps(props, workGroupName, removalPolicy),
        model,
        featureColumns,
        tableServiceToken: this.tableOwner.provider.serviceToken,
      });
      // Names alone do not order creation: the DDL would run before its database or workgroup exists.
      promote.predictionsTable.node.addDependency(this.database, this.pipelineWorkgroup);
      promote.outputTable.node.addDependency(this.database);
      promotion.set(name, promote);
    }
    return promotion;
  }

  /** What an ML model's training and promotion machines both get from the domain and the platform. */
  private mlMachineProps(props: DomainStackProps, workGroupName: string, removalPolicy: RemovalPolicy) {
    return {
      identity: props.identity,
      workGroupName,
      key: this.platform.key,
      logKey: this.stateMachineLogKey.key,
      alertTopic: this.alerts.topic,
      auditBucketName: this.platform.bucketName('audit'),
      goldBucketName: this.platform.bucketName('gold'),
      athenaResultsBucketName: this.platform.bucketName('athena-results'),
      removalPolicy,
    };
  }

  private addTraining(props: DomainStackProps, workGroupName: string, removalPolicy: RemovalPolicy): Map<string, ModelTraining> {
    const own = (props.mlModels ?? []).filter((model) => model.domain === props.domain.name);
    if (own.length === 0) return new Map();
    if (props.models === undefined) throw new Error(`domain '${props.domain.name}': its ML models need the compiled transforms (models) to read their features`);
    const scope = new Construct(this, 'Ml');
    const gitRevision = String(this.node.tryGetContext(GIT_REVISION_CONTEXT) ?? GIT_REVISION_UNRECORDED);
    if (gitRevision !== GIT_REVISION_UNRECORDED && !GIT_REVISION.test(gitRevision)) {
      throw new Error(`context value ${GIT_REVISION_CONTEXT} '${gitRevision}' is not a git commit id (7 to 64 hexadecimal digits)`);
    }
    // One row per training run of the domain's models, created like the other Iceberg tables.
    const runs = { database: glueDatabaseName(props.identity, props.domain.name), table: ML_RUNS_TABLE };
    const runsTable = new IcebergTable(scope, 'RunsTable', {
      serviceToken: this.tableOwner.provider.serviceToken,
      spec: {
        ...runs,
        workGroup: workGroupName,
        createStatement: mlRunsCreateStatement(runs, s3Uri(this.platform.bucketName('gold'), goldPrefix(props.domain.name, ML_RUNS_TABLE))),
        columns: mlRunsTableColumns(),
      },
    });
    runsTable.node.addDependency(this.database, this.pipelineWorkgroup);
    return new Map(
      own.map((model) => {
        const training = new ModelTraining(scope, pascalCase(model.name), {
          ...this.mlMachineProps(props, workGroupName, removalPolicy),
          model,
          environmentApproval: props.environment.modelApproval,
          contractVersions: featureContractVersions(props.models!.dag, model.featureModel),
          gitRevision,
        });
        // A run started before its tables exist would fail on its INSERT.
        training.recordsTable.node.addDependency(this.database);
        training.stateMachine.node.addDependency(runsTable, training.recordsTable);
        return [model.name, training];
      }),
    );
  }

  private addGoldTables(owned: readonly OwnedGoldTable[], databaseName: string, workGroupName: string): Map<string, IcebergTable> {
    const scope = new Construct(this, 'GoldTables');
    const created = new Map<string, IcebergTable>();
    const byId = new Map<string, OwnedGoldTable>();
    for (const owner of owned) {
      const { modelId, table } = owner;
      const id = pascalCase(table.table);
      const other = byId.get(id);
      if (other !== undefined) {
        throw new Error(
          `model '${modelId}': its table '${table.table}' and '${other.table.table}' (model '${other.modelId}') ` +
            `both get the construct id '${id}'; rename one of the models`,
        );
      }
      byId.set(id, owner);
      const goldTable = new IcebergTable(scope, id, {
        serviceToken: this.tableOwner.provider.serviceToken,
        spec: { database: databaseName, table: table.table, workGroup: workGroupName, createStatement: table.createStatement, columns: table.columns },
      });
      // Names alone do not order creation: the DDL would run before its database or workgroup exists.
      goldTable.node.addDependency(this.database, this.pipelineWorkgroup);
      created.set(table.table, goldTable);
    }
    return created;
  }
}

interface OwnedGoldTable {
  readonly modelId: string;
  readonly table: GoldTable;
}

/** The gold tables of the domain's own models, in DAG order. */
function modelGoldTables(plan: BuildPlan, models: ModelsAtSynth, placement: GoldTablePlacement): OwnedGoldTable[] {
  // buildPlan has refused any model without inferred columns.
  return plan.layers.flat().flatMap(({ model }) => goldTables(model, models.columns.get(model.id)!, placement).map((table) => ({ modelId: model.id, table })));
}
