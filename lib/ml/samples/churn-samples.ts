/**
 * Seeded sample data for the churn example: the rows of every dataset a churn feature model reads,
 * with a churn signal a model can learn. One input holds a row per customer (its primary key is
 * the ML model's key); every other input is activity (orders, web events) whose rows reference a
 * customer and carry an event time. Each customer gets an engagement: engaged customers act more
 * often and most of them keep acting until the delivery; the others mostly stop, weeks before it.
 * So churn, whatever the feature model defines it as from the activity, follows counts a model
 * sees. Which column is which comes from the contracts (primary key, references, the freshness
 * SLA's column, the partition column); every other column gets a valid value by its contract
 * (`columnValue`). Pure and deterministic: the same inputs and seed give the same rows.
 */
import type { Column, Dataset } from '../../contracts/model.ts';
import type { TransformModel } from '../../transforms/model.ts';
import { columnValue, isoDate, isoTimestamp, mayBeEmpty, type SampleRow, type SampleValue } from './column-values.ts';
import { sequencePatternValue } from './pattern-values.ts';
import { SeededRandom } from './seeded-random.ts';

export interface ChurnSampleOptions {
  /** The feature model the ML model learns from: each dataset it reads gets rows. */
  readonly featureModel: TransformModel;
  /** The ML model's key: the primary key of the input with one row per customer. */
  readonly key: readonly string[];
  readonly seed: number;
  readonly customers: number;
  /** When the files are delivered: all activity lies in the months before, the newest an hour before. */
  readonly deliveredAt: Date;
}

/**
 * What `npm run samples:churn` and the demo generate: a few thousand rows, on which the shipped
 * churn gate passes. Delivered when the hand-written samples were, not at the current time: every
 * event time follows the delivery, so only a fixed one gives the same bytes for the same seed.
 */
export const CHURN_SAMPLE_DEFAULTS = { seed: 42, customers: 300, deliveredAt: new Date('2026-11-21T06:00:00Z') } as const;

export interface DatasetSample {
  readonly dataset: Dataset;
  readonly rows: readonly SampleRow[];
}

const DAY_MS = 86_400_000;
/** How far back the activity goes. */
const HISTORY_DAYS = 180;
/** A customer who stops does so at least this long before the delivery, well clear of a 30-day churn window. */
const STOPPED_BEFORE_DAYS = 35;
/** A customer who stays acts at least once in this many days before the delivery. */
const RECENT_DAYS = 20;
/** Acts of each kind per 30 days at no engagement, and how many more at full engagement. */
const BASE_RATE = 0.5;
const ENGAGED_RATE = 3;

/** How one activity dataset's rows are tied to a customer and placed in time. */
interface Activity {
  readonly dataset: Dataset;
  readonly customerColumn: Column;
  readonly timeColumn: Column;
  /** A date partition column: the event time's date. */
  readonly dateColumn?: Column;
}

interface Customer {
  readonly id: SampleValue;
  readonly engagement: number;
  readonly start: number;
  /** When the customer stops; the delivery's eve for one who stays. */
  readonly stop: number;
  readonly stays: boolean;
}

function inputDatasets(model: TransformModel): Dataset[] {
  return [...model.resolved.values()].flatMap((target) => (target.kind === 'dataset' ? [target.dataset] : []));
}

function keyValue(column: Column, sequence: number): SampleValue {
  if (column.constraints.pattern !== undefined) return sequencePatternValue(column.constraints.pattern, sequence);
  return column.type.kind === 'integer' ? sequence + 1 : String(sequence + 1);
}

function activityOf(dataset: Dataset, customers: Dataset, keyColumn: string): Activity {
  const customerColumn = dataset.columns.find((column) => column.references.some((reference) => reference.dataset === customers.names.ref && reference.column === keyColumn));
  if (customerColumn === undefined) {
    throw new Error(`${dataset.names.ref}: the churn samples need each input to be the customers (${customers.names.ref}) or to reference them, and no column references ${customers.names.ref}.${keyColumn}`);
  }
  const timeName = dataset.freshness?.column ?? dataset.columns.find((column) => column.type.kind === 'timestamp' && column.required)?.name;
  const timeColumn = dataset.columns.find((column) => column.name === timeName);
  if (timeColumn === undefined) throw new Error(`${dataset.names.ref}: the churn samples need an event time: a freshness SLA's column or a required timestamp`);
  const dateColumn = dataset.columns.find((column) => column.partitionKeyPosition !== undefined && column.type.kind === 'date');
  return { dataset, customerColumn, timeColumn, ...(dateColumn === undefined ? {} : { dateColumn }) };
}

function customersOf(options: ChurnSampleOptions, random: SeededRandom, keyColumn: Column): Customer[] {
  const last = options.deliveredAt.getTime() - 3_600_000;
  const first = last - HISTORY_DAYS * DAY_MS;
  return Array.from({ length: options.customers }, (_unused, index) => {
    const engagement = random.next();
    const start = first + random.next() * 0.3 * (last - first);
    const stays = !random.chance(0.15 + 0.5 * (1 - engagement));
    const latestStop = Math.max(start, last - STOPPED_BEFORE_DAYS * DAY_MS);
    return { id: keyValue(keyColumn, index), engagement, start, stays, stop: stays ? last : start + random.next() * (latestStop - start) };
  });
}

/** Distinct whole-second times of one customer's acts (a contract may refuse two in the same second). */
function actTimes(random: SeededRandom, customer: Customer, last: number): number[] {
  const days = (customer.stop - customer.start) / DAY_MS;
  const count = random.poisson(((BASE_RATE + ENGAGED_RATE * customer.engagement) * days) / 30);
  const times = Array.from({ length: count }, () => customer.start + random.next() * (customer.stop - customer.start));
  if (customer.stays) times.push(last - random.next() * RECENT_DAYS * DAY_MS);
  const seconds = new Set<number>();
  for (const time of times.sort((a, b) => a - b)) {
    let second = Math.floor(time / 1000);
    while (seconds.has(second)) second--;
    seconds.add(second);
  }
  return [...seconds].sort((a, b) => a - b).map((second) => second * 1000);
}

export function churnSamples(options: ChurnSampleOptions): DatasetSample[] {
  const random = new SeededRandom(options.seed);
  const inputs = inputDatasets(options.featureModel);
  const [keyName, ...rest] = options.key;
  if (keyName === undefined || rest.length > 0) throw new Error(`the churn samples need a one-column key, got [${options.key.join(', ')}]`);
  const customers = inputs.find((dataset) => dataset.primaryKey.length === 1 && dataset.primaryKey[0] === keyName);
  if (customers === undefined) throw new Error(`${options.featureModel.id} reads no dataset whose primary key is ${keyName}: the churn samples need one row per customer`);
  const keyColumn = customers.columns.find((column) => column.name === keyName)!;
  const activities = inputs.filter((dataset) => dataset !== customers).map((dataset) => activityOf(dataset, customers, keyName));

  const last = options.deliveredAt.getTime() - 3_600_000;
  const from = new Date(last - HISTORY_DAYS * DAY_MS);
  const to = new Date(last);
  const people = customersOf(options, random, keyColumn);
  const context = (row: number) => ({ random, row, from, to });

  const customerRows = people.map((customer, row) =>
    Object.fromEntries(
      customers.columns.map((column): [string, SampleValue] => {
        if (column.name === keyName) return [column.name, customer.id];
        // A yes/no about a customer leans with engagement (consent to marketing, say): a weak signal.
        if (column.type.kind === 'boolean') return [column.name, random.chance(0.25 + 0.5 * customer.engagement)];
        return [column.name, columnValue(customers, column, context(row))];
      }),
    ),
  );
  const activityRows = activities.map((activity) => {
    const rows: SampleRow[] = [];
    for (const customer of people) {
      for (const time of actTimes(random, customer, last)) {
        const at = new Date(time);
        rows.push(
          Object.fromEntries(
            activity.dataset.columns.map((column): [string, SampleValue] => {
              if (column === activity.customerColumn) return [column.name, customer.id];
              if (column === activity.timeColumn) return [column.name, isoTimestamp(at)];
              if (column === activity.dateColumn) return [column.name, isoDate(at)];
              if (mayBeEmpty(activity.dataset, column)) return [column.name, null];
              return [column.name, columnValue(activity.dataset, column, context(rows.length))];
            }),
          ),
        );
      }
    }
    // A file lists its rows in time order, as an export or a collector writes them.
    const time = activity.timeColumn.name;
    return { dataset: activity.dataset, rows: rows.sort((a, b) => String(a[time]).localeCompare(String(b[time]))) };
  });
  return [{ dataset: customers, rows: customerRows }, ...activityRows];
}
