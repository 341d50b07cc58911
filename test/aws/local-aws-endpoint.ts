/**
 * A local HTTP server standing in for AWS API endpoints, for tests of bundled handlers: the
 * handler's default SDK clients reach it through `AWS_ENDPOINT_URL_<service>`, so everything up
 * to the network is the code that ships. It speaks just enough of the wire protocols: JSON
 * (`X-Amz-Target` names the operation) and query (a form body whose `Action` names it, answered
 * in XML).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  /** `X-Amz-Target` for JSON protocols, `<signing service>:<Action>` for the query protocol. */
  readonly operation: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface EndpointAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface LocalAwsEndpoint {
  readonly url: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

function operationOf(headers: IncomingMessage['headers'], body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target;
  const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(headers['authorization']))?.[1] ?? 'unknown';
  return `${service}:${new URLSearchParams(body).get('Action') ?? 'unknown'}`;
}

/** Content type of an answer in the request's protocol, unless the answer sets its own. */
function contentTypeFor(headers: IncomingMessage['headers']): string {
  const requested = String(headers['content-type'] ?? '');
  return requested.startsWith('application/x-amz-json-') ? requested : 'text/xml';
}

export async function startLocalAwsEndpoint(answer: (request: ReceivedRequest) => EndpointAnswer): Promise<LocalAwsEndpoint> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const made = { operation: operationOf(request.headers, body), headers: request.headers, body };
      received.push(made);
      const reply = answer(made);
      response.writeHead(reply.status, { 'content-type': contentTypeFor(request.headers), ...reply.headers });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
