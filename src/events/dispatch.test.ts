import { describe, expect, it } from 'vitest';
import type { ClaimedEvent, EventStore } from '../data/events.js';
import { dispatchDue } from './dispatch.js';
import { backoffMs } from './webhook.js';

const NOW = 1_800_000_000_000;

/** An outbox holding `claimed`, recording what dispatch asks of it. */
function outbox(claimed: ClaimedEvent[]) {
  const calls: string[] = [];
  const events = {
    claim: async () => {
      calls.push('claim');
      return claimed;
    },
    delivered: async (event: ClaimedEvent) => {
      calls.push(`delivered ${event.id}`);
    },
    failed: async (event: ClaimedEvent) => {
      calls.push(`failed ${event.id}`);
    },
  } as unknown as EventStore;
  return { events, calls };
}

const event = (id: string, attempts: number): ClaimedEvent => ({ id, body: '{}', attempts, leaseUntil: NOW + 1 });
const refusing = async () => new Response('no', { status: 500 });
const config = (max: number) => ({
  WEBHOOK_URL: 'https://hooks.example/in',
  WEBHOOK_SECRET: 'whsec_AAAA',
  WEBHOOK_MAX_ATTEMPTS: max,
});

describe('dispatchDue', () => {
  it('claims nothing while the webhook URL or its secret is unset: events wait in the outbox', async () => {
    for (const partial of [
      { WEBHOOK_URL: undefined, WEBHOOK_SECRET: 'whsec_AAAA', WEBHOOK_MAX_ATTEMPTS: 3 },
      { WEBHOOK_URL: 'https://hooks.example/in', WEBHOOK_SECRET: undefined, WEBHOOK_MAX_ATTEMPTS: 3 },
    ]) {
      const { events, calls } = outbox([event('evt_a', 0)]);
      expect(await dispatchDue({ events, config: partial, fetch: refusing, now: () => NOW }, 10)).toEqual([]);
      expect(calls).toEqual([]);
    }
  });

  it('says when a failed event is due again, and that the last allowed attempt has none', async () => {
    const { events, calls } = outbox([event('evt_first', 0), event('evt_second', 1), event('evt_last', 2)]);
    const attempts = await dispatchDue({ events, config: config(3), fetch: refusing, now: () => NOW }, 10);
    expect(attempts).toEqual([
      { id: 'evt_first', delivered: false, retryAt: NOW + backoffMs(1) },
      { id: 'evt_second', delivered: false, retryAt: NOW + backoffMs(2) },
      { id: 'evt_last', delivered: false, retryAt: null },
    ]);
    // Attempts run concurrently: the claim comes first, the outcomes in any order.
    expect(calls[0]).toBe('claim');
    expect(calls.slice(1).sort()).toEqual(['failed evt_first', 'failed evt_last', 'failed evt_second']);
  });

  it('records a delivery', async () => {
    const { events, calls } = outbox([event('evt_ok', 4)]);
    const ok = async () => new Response(null, { status: 204 });
    expect(await dispatchDue({ events, config: config(3), fetch: ok, now: () => NOW }, 10)).toEqual([
      { id: 'evt_ok', delivered: true },
    ]);
    expect(calls).toEqual(['claim', 'delivered evt_ok']);
  });
});
