import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './hub-address.js';

/** One publish form to send to an address that was already checked. */
export interface HubRequest {
  readonly url: URL;
  /** The checked address of `url`'s host: the connection goes there and nowhere else. */
  readonly address: ResolvedAddress;
  /** `application/x-www-form-urlencoded` body. */
  readonly body: string;
  readonly signal: AbortSignal;
}

/** What a ping needs from the hub's answer; the body is never read. */
export interface HubAnswer {
  readonly status: number;
  readonly retryAfter?: string;
  readonly location?: string;
}

/** Sends one publish form and reports the answer's status. */
export type HubTransport = (request: HubRequest) => Promise<HubAnswer>;

/** Largest answer header block accepted from a hub (Node's default is 16 KiB). */
const MAX_HEADER_BYTES = 8 * 1024;

/**
 * POSTs the form over node:http(s) to the pinned address. The host name still names the
 * server (Host header, TLS SNI and certificate check), but `lookup` answers with the checked
 * address instead of asking DNS again. Redirects are not followed (node:http never does), and
 * the answer's body is discarded unread: the socket is closed as soon as the status arrives.
 */
export const postHubForm: HubTransport = (request) =>
  new Promise<HubAnswer>((resolve, reject) => {
    const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      request.url,
      {
        method: 'POST',
        // A fresh connection per ping: a pooled socket could belong to another address.
        agent: false,
        lookup: pinnedLookup(request.address),
        maxHeaderSize: MAX_HEADER_BYTES,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(request.body) },
        signal: request.signal,
      },
      (response) => {
        resolve(describeAnswer(response));
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });

function describeAnswer(response: IncomingMessage): HubAnswer {
  const retryAfter = response.headers['retry-after'];
  const location = response.headers.location;
  return {
    status: response.statusCode ?? 0,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(location === undefined ? {} : { location }),
  };
}

/** A `lookup` that always answers with the checked address, in both callback shapes. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}
