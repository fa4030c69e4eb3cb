import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A publish request as the hub received it. */
export interface HubPing {
  readonly contentType: string | undefined;
  readonly form: URLSearchParams;
}

/**
 * A WebSub hub stand-in on 127.0.0.1: records every ping, answers 503 to the first `failures`,
 * then 204, or whatever `answer` writes.
 */
export interface FakeHub {
  readonly url: string;
  readonly pings: HubPing[];
  close(): Promise<void>;
}

/** The request body as UTF-8 text. */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a hub stand-in on a free port of 127.0.0.1. */
export async function startHub(failures = 0, answer?: (response: ServerResponse) => void): Promise<FakeHub> {
  const pings: HubPing[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      pings.push({ contentType: request.headers['content-type'], form: new URLSearchParams(body) });
      const failing = pings.length <= failures;
      if (!failing && answer) return answer(response);
      response.writeHead(failing ? 503 : 204).end(failing ? 'try later' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/publish`,
    pings,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // An answer left open on purpose must not keep the hub from closing.
        server.closeAllConnections();
      }),
  };
}
