import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { backoffMs, type Deliver, deliverEvent } from './webhook.js';

const secret = `whsec_${btoa('webhook unit test secret, 32 b!!')}`;
const url = 'https://hooks.example/receive';
const body = JSON.stringify({ specversion: '1.0', id: 'evt_AAAAAAAAAAAAAAAAAAAAAA', type: 'order.placed' });
const now = Date.UTC(2030, 0, 2, 3, 4, 5, 678);

/** Delivers the test event to a receiver that answers (or fails) with `answer`, keeping what it was sent. */
async function deliverTo(answer: () => Promise<Response>) {
  const sent: Array<{ input: string; init: RequestInit }> = [];
  const fetch: Deliver = (input, init) => {
    sent.push({ input, init });
    return answer();
  };
  const outcome = await deliverEvent({ url, secret, fetch }, 'evt_AAAAAAAAAAAAAAAAAAAAAA', body, now);
  return { outcome, sent };
}

/** A response with `status` and no body, also for statuses `new Response` refuses (1xx). */
const answer = (status: number) => async () =>
  status < 200 ? ({ status, body: null } as unknown as Response) : new Response(null, { status });

describe('deliverEvent (API.md §6)', () => {
  it('POSTs the event once, signed per Standard Webhooks, as JSON from edgecart-webhooks, with a deadline, following no redirect', async () => {
    const { outcome, sent } = await deliverTo(answer(200));
    expect(outcome).toEqual({ ok: true });
    expect(sent).toHaveLength(1);
    const [{ input, init }] = sent as [{ input: string; init: RequestInit }];
    expect([input, init.method, init.body, init.redirect]).toEqual([url, 'POST', body, 'manual']);
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.signal?.aborted).toBe(false);
    const headers = Object.fromEntries(new Headers(init.headers));
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'edgecart-webhooks',
      'webhook-id': 'evt_AAAAAAAAAAAAAAAAAAAAAA',
      'webhook-timestamp': String(Math.floor(now / 1000)),
    });
    expect(headers['webhook-signature']).toBe(
      new Webhook(secret).sign('evt_AAAAAAAAAAAAAAAAAAAAAA', new Date(Math.floor(now / 1000) * 1000), body),
    );
  });

  it('counts any 2xx as delivered, a 204 without a body included', async () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect((await deliverTo(answer(status))).outcome, String(status)).toEqual({ ok: true });
    }
    // An answer with a body: delivered, and the body is not needed.
    expect((await deliverTo(async () => new Response('thanks', { status: 200 }))).outcome).toEqual({ ok: true });
  });

  it('counts anything else as failed, by its status: 1xx, 3xx (a redirect is not followed), 4xx, 5xx', async () => {
    for (const status of [101, 199, 300, 301, 302, 304, 307, 400, 404, 410, 500, 503]) {
      expect((await deliverTo(answer(status))).outcome, String(status)).toEqual({ ok: false, error: `HTTP ${status}` });
    }
    const redirect = async () =>
      new Response('moved', { status: 302, headers: { location: 'https://elsewhere.example/' } });
    const { outcome, sent } = await deliverTo(redirect);
    expect(outcome).toEqual({ ok: false, error: 'HTTP 302' });
    expect(sent.map((s) => s.input)).toEqual([url]);
  });

  it('tells a receiver that did not answer within 10 s from one that could not be reached', async () => {
    const failing = (error: unknown) => () => Promise.reject(error);
    const outcomes = [
      [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'no answer within 10 s'],
      [new TypeError('fetch failed'), 'TypeError: the request failed'],
      [new DOMException('This operation was aborted', 'AbortError'), 'AbortError: the request failed'],
      [new RangeError('bad'), 'RangeError: the request failed'],
      ['not an Error at all', 'Error: the request failed'],
    ] as const;
    for (const [error, text] of outcomes) {
      expect((await deliverTo(failing(error))).outcome, text).toEqual({ ok: false, error: text });
    }
  });
});

describe('backoffMs', () => {
  it('waits about 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h after the 1st to 8th failed attempt, then 24 h each time', () => {
    const seconds = [10, 60, 300, 1800, 7200, 21_600, 43_200, 86_400];
    expect(seconds.map((_, i) => backoffMs(i + 1))).toEqual(seconds.map((s) => s * 1000));
    for (const failed of [9, 10, 20, 50]) expect(backoffMs(failed), String(failed)).toBe(86_400_000);
  });
});
