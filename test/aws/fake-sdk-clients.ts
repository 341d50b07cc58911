/**
 * Stand-ins for AWS SDK v3 clients at the network boundary: each `send(command)` is recorded by
 * the command's class name and input, and answered from a script instead of the network, so a
 * test checks the exact calls a handler makes without an AWS account.
 */

export interface SentCommand {
  /** The client the command was sent through, as the test named it: `athena`, `glue`, ... */
  readonly client: string;
  /** The command's class name: `StartQueryExecutionCommand`, ... */
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** An output to resolve with, or an Error (such as an SDK exception) to reject with. */
export type ScriptedAnswer = object;

/** Answers per command class name, in order; the last one repeats. */
export type Script = Readonly<Record<string, readonly ScriptedAnswer[]>>;

interface SdkCommand {
  readonly input: object;
}

export interface FakeSdkClient {
  /** Assignable to any SDK client's `send`: the output type is whatever the command's is. */
  send<Output>(command: SdkCommand): Promise<Output>;
}

/** Fake clients sharing one record of sent commands, so a test sees their order across clients. */
export function fakeAwsNetwork() {
  const sent: SentCommand[] = [];
  const client = (name: string, script: Script): FakeSdkClient => {
    const served = new Map<string, number>();
    return {
      async send<Output>(command: SdkCommand): Promise<Output> {
        const commandName = command.constructor.name;
        sent.push({ client: name, command: commandName, input: command.input as Record<string, unknown> });
        const answers = script[commandName];
        if (answers === undefined || answers.length === 0) throw new Error(`unexpected ${commandName} sent to the ${name} client`);
        const index = served.get(commandName) ?? 0;
        served.set(commandName, index + 1);
        const answer = answers[Math.min(index, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return answer as Output;
      },
    };
  };
  return { client, sent, commands: () => sent.map((made) => `${made.client}:${made.command}`) };
}
