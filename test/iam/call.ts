/** One AWS API authorization a role's code needs: an IAM action on one resource, with its request context. */
export interface Call {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** The state, handler call or statement the call comes from. */
  readonly why: string;
}

export function callKey(call: Call): string {
  return `${call.action} ${call.resource} ${JSON.stringify(call.context ?? {})}`;
}

/** The same calls once each, the first reason kept. */
export function distinctCalls(calls: readonly Call[]): Call[] {
  const seen = new Map<string, Call>();
  for (const call of calls) if (!seen.has(callKey(call))) seen.set(callKey(call), call);
  return [...seen.values()];
}
