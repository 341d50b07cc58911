/** What a failed Athena query looks like to the `.sync` integration: the Task fails with the query's status. */
import { TaskError } from '../../stepfunctions/task-error.ts';

export function failedQuery(reason: string): TaskError {
  return new TaskError('States.TaskFailed', JSON.stringify({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: reason } } }));
}
