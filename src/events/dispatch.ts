import type { AppConfig } from '../config.js';
import type { ClaimedEvent, EventStore } from '../data/events.js';
import { backoffMs, type Deliver, deliverEvent } from './webhook.js';

/** How long a claim holds an event: past the receiver's 10 s, with room to record the outcome. */
export const LEASE_MS = 15_000;

export interface Dispatch {
  events: EventStore;
  config: Pick<AppConfig, 'WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'WEBHOOK_MAX_ATTEMPTS'>;
  fetch: Deliver;
  now: () => number;
}

/** What one attempt at an event came to. */
export type Attempt = { id: string; delivered: true } | { id: string; delivered: false; retryAt: number | null };

/**
 * Delivers due events once each (API.md §6), the same on both runtimes: claims
 * them with a lease, POSTs each signed, and records the outcome: delivered,
 * due again after the backoff, or `failed` after WEBHOOK_MAX_ATTEMPTS. With
 * no webhook configured nothing is claimed: events wait in the outbox.
 *
 * @example
 * const attempts = await dispatchDue({ events, config, fetch, now: Date.now }, 20);
 */
export async function dispatchDue(d: Dispatch, limit: number, ids?: string[]): Promise<Attempt[]> {
  const { WEBHOOK_URL: url, WEBHOOK_SECRET: secret } = d.config;
  if (url === undefined || secret === undefined) return [];
  const claimed = await d.events.claim(d.now(), LEASE_MS, limit, ids);
  return Promise.all(claimed.map((event) => attempt(d, { url, secret, fetch: d.fetch }, event)));
}

async function attempt(
  d: Dispatch,
  target: { url: string; secret: string; fetch: Deliver },
  event: ClaimedEvent,
): Promise<Attempt> {
  const outcome = await deliverEvent(target, event.id, event.body, d.now());
  const now = d.now();
  if (outcome.ok) {
    await d.events.delivered(event, now);
    return { id: event.id, delivered: true };
  }
  const retryAt = now + backoffMs(event.attempts + 1);
  await d.events.failed(event, outcome.error, retryAt, d.config.WEBHOOK_MAX_ATTEMPTS);
  const last = event.attempts + 1 >= d.config.WEBHOOK_MAX_ATTEMPTS;
  return { id: event.id, delivered: false, retryAt: last ? null : retryAt };
}
