import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A publish request as the hub received it. */
export interface HubPing {
  readonly contentType: string | undefined;
  readonly form: URLSearchParams;
}

/** The hub's fetch of a topic after a ping: what it got, and the body it now holds. */
export interface TopicFetch {
  readonly topicUrl: string;
  /** 200, or 304 when the topic answered "not modified" to the hub's last ETag. */
  readonly status: number;
  /** The new body on a 200; on a 304, the body the hub already held (it sees no change). */
  readonly body: string;
}

/** A WebSub hub stand-in on 127.0.0.1: records every ping, answers 503 to the first `failures`. */
export interface FakeHub {
  readonly url: string;
  readonly pings: HubPing[];
  /** With `fetchTopics`, each ping's fetch of its topic, in ping order. */
  readonly fetches: TopicFetch[];
  close(): Promise<void>;
}

/** Options of {@link startHub}. */
export interface FakeHubOptions {
  /** Answer 503 to this many pings first. @default 0 */
  readonly failures?: number;
  /**
   * Fetch the topic on every ping before answering, as a hub does to find what changed: a
   * conditional GET with the ETag of its last fetch, so a stale cache costs it the update.
   * @default false
   */
  readonly fetchTopics?: boolean;
}

/** The request body as UTF-8 text. */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Fetches topics like a hub: conditionally, remembering each topic's ETag and body. */
function createTopicFetcher(fetches: TopicFetch[]): (topicUrl: string) => Promise<void> {
  const held = new Map<string, { etag: string | null; body: string }>();
  return async (topicUrl) => {
    const last = held.get(topicUrl);
    const response = await fetch(topicUrl, { headers: last?.etag ? { 'if-none-match': last.etag } : {} });
    const body = response.status === 304 ? (last?.body ?? '') : await response.text();
    if (response.status === 200) held.set(topicUrl, { etag: response.headers.get('etag'), body });
    fetches.push({ topicUrl, status: response.status, body });
  };
}

/** Starts a hub stand-in on a free port of 127.0.0.1. */
export async function startHub(options: FakeHubOptions | number = {}, answer?: (response: ServerResponse) => void): Promise<FakeHub> {
  const { failures = 0, fetchTopics = false } = typeof options === 'number' ? { failures: options } : options;
  const pings: HubPing[] = [];
  const fetches: TopicFetch[] = [];
  const fetchTopic = createTopicFetcher(fetches);
  const server: Server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const form = new URLSearchParams(body);
      pings.push({ contentType: request.headers['content-type'], form });
      const failing = pings.length <= failures;
      const topic = form.get('hub.url');
      if (!failing && fetchTopics && topic) await fetchTopic(topic).catch(() => undefined);
      if (!failing && answer) return answer(response);
      response.writeHead(failing ? 503 : 204).end(failing ? 'try later' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/publish`,
    pings,
    fetches,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // An answer left open on purpose must not keep the hub from closing.
        server.closeAllConnections();
      }),
  };
}
