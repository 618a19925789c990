import { memo } from '../lib/memo.js';

/**
 * Standard Webhooks signing (API.md §6): `webhook-signature` is `v1,` and the
 * base64 HMAC-SHA256 of `id.timestamp.body`, keyed by the bytes of the base64
 * part of a `whsec_…` secret. WebCrypto, so it runs alike on Workers and Node.
 */

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = memo<string, Promise<HmacKey>>();

const keyOf = (secret: string): Promise<HmacKey> =>
  keys(secret, () => {
    const raw = Uint8Array.from(atob(secret.slice('whsec_'.length)), (char) => char.charCodeAt(0));
    return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  });

/** The headers that sign `body` as the message `id` sent at `timestamp` (Unix seconds). */
export async function signatureHeaders(secret: string, id: string, timestamp: number, body: string) {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await keyOf(secret),
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  );
  const signature = btoa(String.fromCharCode(...new Uint8Array(mac)));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

/** How long a receiver has to answer 2xx (API.md §6). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export type Deliver = (input: string, init: RequestInit) => Promise<Response>;

/**
 * POSTs one event to the receiver, signed; whether it answered 2xx in time,
 * and if not, why (the status or the error's name, never the body).
 *
 * @example
 * const outcome = await deliverEvent({ url, secret, fetch }, event.id, event.body, Date.now());
 */
export async function deliverEvent(
  target: { url: string; secret: string; fetch: Deliver },
  id: string,
  body: string,
  now: number,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'edgecart-webhooks',
    ...(await signatureHeaders(target.secret, id, Math.floor(now / 1000), body)),
  };
  try {
    const res = await target.fetch(target.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      redirect: 'manual',
    });
    // The answer's body is not needed: drain it so the connection can be reused.
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return { ok: false, error: name === 'TimeoutError' ? 'no answer within 10 s' : `${name}: the request failed` };
  }
}

/** Seconds before attempt `n + 1` after `n` failed ones: about 10 s, 1 min, 5 min, 30 min, 2 h, then 6 h, 12 h, 24 h. */
const BACKOFF_S = [10, 60, 300, 1800, 7200, 21_600, 43_200, 86_400];
export const backoffMs = (failed: number) => (BACKOFF_S[Math.min(failed, BACKOFF_S.length) - 1] ?? 10) * 1000;
