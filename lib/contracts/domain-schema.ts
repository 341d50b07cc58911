import { email, identifier, strictObject, text, type JsonSchema } from './schema-parts.ts';

/** The structure of `contracts/<domain>/domain.yaml`, this project's own small format. */
export const domainSchema: JsonSchema = strictObject(
  {
    domain: identifier,
    owner: strictObject({ team: text, email }, ['team', 'email']),
    alerts: strictObject({ emails: { type: 'array', items: email, minItems: 1 } }, ['emails']),
    consumers: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        minProperties: 1,
        additionalProperties: {
          type: 'string',
          pattern: '^arn:aws[a-z-]*:iam::\\d{12}:',
          description: 'an IAM principal ARN (arn:aws:iam::<account>:...)',
        },
      },
    },
    shares: { type: 'array', items: identifier, uniqueItems: true },
    maintenance: strictObject({
      schedule: {
        type: 'string',
        pattern: '^(cron|rate)\\(.+\\)$',
        description: 'an EventBridge schedule expression such as cron(0 3 * * ? *)',
      },
    }),
  },
  ['domain', 'owner', 'alerts'],
);
