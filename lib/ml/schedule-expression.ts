/**
 * EventBridge schedule expressions, checked as EventBridge checks them, so a bad trigger fails at
 * `contracts check` rather than at deploy: `rate(<n> <unit>)` with a singular unit for 1 and a
 * plural one otherwise, and six-field `cron(...)` where exactly one of day-of-month and
 * day-of-week is `?`.
 */

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names standing for numbers from `min` on (`JAN` is 1). */
  readonly names?: readonly string[];
  /** A single value with a suffix this field alone allows (`L`, `15W`, `5#3`, `6L`). */
  readonly special?: RegExp;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, special: /^(L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199 },
];

/** Why EventBridge would refuse `expression`, or undefined when it is a valid schedule. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate !== null) return rateProblem(Number(rate[1]), rate[2]!);
  if (expression.startsWith('rate(')) return `'${expression}' is not a rate: write rate(<number> <minute|minutes|hour|hours|day|days>)`;
  const cron = CRON.exec(expression);
  if (cron === null) return `'${expression}' is not an EventBridge schedule: write cron(<6 fields>) or rate(<number> <unit>)`;
  return cronProblem(cron[1]!.trim().split(/\s+/));
}

function rateProblem(value: number, unit: string): string | undefined {
  if (value < 1) return 'a rate must be at least 1';
  const plural = unit.endsWith('s');
  if (value === 1 && plural) return `a rate of 1 takes the singular unit: rate(1 ${unit.slice(0, -1)})`;
  if (value > 1 && !plural) return `a rate above 1 takes the plural unit: rate(${value} ${unit}s)`;
  return undefined;
}

function cronProblem(fields: readonly string[]): string | undefined {
  if (fields.length !== 6) {
    return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  }
  for (const [index, field] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(fields[index]!, field);
    if (problem !== undefined) return problem;
  }
  const dayOfMonth = fields[2]!;
  const dayOfWeek = fields[4]!;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'cron needs ? in exactly one of day-of-month and day-of-week (for example cron(0 3 * * ? *))';
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  if (text === '?') return field.name === 'day-of-month' || field.name === 'day-of-week' ? undefined : `cron ${field.name}: ? is only for day-of-month or day-of-week`;
  if (field.special?.test(text.toUpperCase())) return undefined;
  for (const part of text.split(',')) {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^\d+$/.test(step)) return `cron ${field.name}: '${part}' has a step that is not a whole number`;
    if (range === '*') continue;
    const bounds = range!.split('-');
    if (bounds.length > 2) return `cron ${field.name}: '${part}' is not a value or range`;
    for (const bound of bounds) {
      const value = valueOf(bound, field);
      if (value === undefined || value < field.min || value > field.max) {
        return `cron ${field.name}: '${bound}' is not a value from ${field.min} to ${field.max}${field.names === undefined ? '' : ` or ${field.names[0]}-${field.names.at(-1)}`}`;
      }
    }
  }
  return undefined;
}

function valueOf(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index < 0 ? undefined : field.min + index;
}
