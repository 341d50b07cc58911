/**
 * Metrics the platform publishes besides the validator's file metrics (DESIGN.md "Public
 * interfaces": metrics), in the same `ContractLakehouse` namespace. Their names are public: the
 * dashboards and alarms are built on them, and so may users' own.
 */
export const OPERATIONAL_METRICS = {
  /**
   * Seconds since the dataset's last successful load, published by the scheduled freshness check
   * (dimensions `Environment, Domain, Dataset`): a file that never comes emits no metric of its own.
   */
  lastLoadAgeSeconds: 'LastLoadAgeSeconds',
  /**
   * Error-severity tests of a gold model that failed in a build (dimensions `Environment, Domain,
   * Model`), published by the domain's build machine when a model's tests fail.
   */
  modelTestFailures: 'ModelTestFailures',
} as const;

/**
 * The dimensions of a gold model's metrics (`ModelTestFailures`), as published: what an alarm or a
 * dashboard must name to find them. `model` is the model's id, as the build's outcomes name it.
 */
export function modelMetricDimensions(scope: { environment: string; domain: string; model: string }): { Environment: string; Domain: string; Model: string } {
  return { Environment: scope.environment, Domain: scope.domain, Model: scope.model };
}

/** Dimensions as CloudWatch's PutMetricData takes them (`[{Name, Value}]`), from the map the alarms and dashboards name them by. */
export function putMetricDataDimensions(dimensions: Readonly<Record<string, string>>): { Name: string; Value: string }[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}
