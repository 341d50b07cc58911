/**
 * What the offline stand-in for a build's Athena Tasks saw per model, for `lakehouse build` to
 * show next to the machine's outcome: the rows staged, each test's failing count with a few
 * failing rows, the snapshot a publish committed, and why a query failed. The machine decides
 * each model's status; this only records what its queries returned.
 */
import type { Severity } from '../../contracts/model.ts';
import type { ModelTestKind } from '../../transforms/model.ts';

export interface TestObservation {
  readonly name: string;
  readonly kind: ModelTestKind;
  readonly column: string | null;
  readonly severity: Severity;
  readonly passed: boolean;
  readonly failedCount: number;
  /** At most 5 failing rows, column name -> JSON value. */
  readonly samples: readonly Readonly<Record<string, unknown>>[];
}

export interface ModelObservation {
  /** Rows in the staging table after the model's last stage query (its new rows, when incremental); 0 for views. */
  readonly rows: number;
  /** In the order they first ran; a test run again (a retried state) keeps its latest result. */
  readonly tests: readonly TestObservation[];
  /** The snapshot a publish of a table committed; null for a view or when nothing was published. */
  readonly snapshotId: number | null;
  /** Why the model's last failed query failed, as Athena words it. */
  readonly failure?: string;
}

interface Recorded {
  rows: number;
  readonly tests: Map<string, TestObservation>;
  snapshotId: number | null;
  failure?: string;
}

/** Observations of one build execution, keyed by model id (`<domain>/<model>`). */
export class BuildObservations {
  private readonly byModel = new Map<string, Recorded>();

  staged(model: string, rows: number): void {
    this.recorded(model).rows = rows;
  }

  tested(model: string, test: TestObservation): void {
    this.recorded(model).tests.set(test.name, test);
  }

  published(model: string, snapshotId: number | null): void {
    this.recorded(model).snapshotId = snapshotId;
  }

  failed(model: string, reason: string): void {
    this.recorded(model).failure = reason;
  }

  /** What was seen of `model`: nothing (0 rows, no tests) when none of its queries ran. */
  of(model: string): ModelObservation {
    const recorded = this.byModel.get(model);
    if (recorded === undefined) return { rows: 0, tests: [], snapshotId: null };
    const { rows, snapshotId, failure } = recorded;
    return { rows, tests: [...recorded.tests.values()], snapshotId, ...(failure === undefined ? {} : { failure }) };
  }

  private recorded(model: string): Recorded {
    let recorded = this.byModel.get(model);
    if (recorded === undefined) {
      recorded = { rows: 0, tests: new Map(), snapshotId: null };
      this.byModel.set(model, recorded);
    }
    return recorded;
  }
}
