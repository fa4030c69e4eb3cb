import type { ResolveHost } from '../../lambdas/adapters/hub-address.js';
import type { HubAnswer, HubRequest, HubTransport } from '../../lambdas/adapters/post-hub-form.js';

/** A public address for the hub's name: only the scripted transport ever sees it, nothing connects. */
export const PUBLIC_ADDRESS = { address: '93.184.215.14', family: 4 } as const;
/** A resolver that answers {@link PUBLIC_ADDRESS} for any name, without DNS. */
export const resolveHost: ResolveHost = async () => [PUBLIC_ADDRESS];

/** One scripted answer: a status, a full answer, a thrown error, or a request that hangs until aborted. */
export type Step = number | Error | 'hang' | HubAnswer;

/**
 * A transport that answers from a script, one step per request (status code, full answer,
 * thrown error, or a request that only ends when aborted), repeating the last step, and
 * records every request. It stands in for the network: these tests open no socket.
 */
export function scriptedTransport(...steps: Step[]): { send: HubTransport; requests: HubRequest[] } {
  const requests: HubRequest[] = [];
  const send: HubTransport = async (request) => {
    requests.push(request);
    const step = steps[Math.min(requests.length, steps.length) - 1] ?? 204;
    if (step instanceof Error) throw step;
    if (step === 'hang') {
      return new Promise<HubAnswer>((_, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
      });
    }
    return typeof step === 'number' ? { status: step } : step;
  };
  return { send, requests };
}
