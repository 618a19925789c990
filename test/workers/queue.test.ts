import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { eventStore } from '../../src/data/events.js';
import { deliverBatch, type EventMessage, sweepEvents } from '../../src/runtime/workers/index.js';
import { documentedSend, freshSku } from '../cases/catalog.cases.js';
import { workersApp, workersDb } from './app.js';

const token = 'workers-queue-admin-token-0123';
const secret = `whsec_${btoa('workers queue secret, 32 bytes!!')}`;
const hooked = {
  ...env,
  WEBHOOK_URL: 'https://hooks.example/queue',
  WEBHOOK_SECRET: secret,
  WEBHOOK_MAX_ATTEMPTS: '3',
};
const time = Date.now();
const now = () => time;
const fetcher = workersApp({ PRICES: 'catalog', ADMIN_TOKEN: token }, now);

async function placedEventId() {
  const admin = { authorization: `Bearer ${token}` };
  const id = freshSku('q');
  await documentedSend(fetcher, 'PUT', `/v1/admin/products/${id}`, { name: 'Queued', prices: { USD: 900 } }, admin);
  const cart = await documentedSend(fetcher, 'POST', '/v1/carts', { items: [{ product_id: id }] });
  const order = await documentedSend(fetcher, 'POST', `/v1/carts/${cart.json.id}/checkout`);
  const events = await documentedSend(fetcher, 'GET', '/v1/admin/events?limit=200', undefined, admin);
  return events.json.events.find((e: { data: { id: string } }) => e.data.id === order.json.id).id as string;
}

const batchOf = (...ids: string[]) =>
  createMessageBatch<EventMessage>(
    'edgecart-events',
    ids.map((id, i) => ({ id: `msg-${i}`, timestamp: new Date(time), attempts: 1, body: { id } })),
  );

describe('the events queue (workerd)', () => {
  it('delivers a queued event signed, and acknowledges its message', async () => {
    const eventId = await placedEventId();
    const received: Array<{ headers: Record<string, string>; body: string }> = [];
    const batch = batchOf(eventId);
    const ctx = createExecutionContext();
    await deliverBatch(
      batch,
      hooked as unknown as Env,
      async (input, init) => {
        const request = new Request(input, init);
        received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
        return new Response('ok');
      },
      now,
    );
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['msg-0']);
    expect(result.retryMessages).toEqual([]);
    expect(received).toHaveLength(1);
    const verified = new Webhook(secret).verify(received[0]?.body ?? '', received[0]?.headers ?? {}) as {
      id: string;
      type: string;
    };
    expect(verified).toMatchObject({ id: eventId, type: 'order.placed' });
    const [row] = (await eventStore(workersDb()).list(200)).rows.map((r) => r.event).filter((r) => r.id === eventId);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('retries the message after the event’s backoff when the receiver fails, and acknowledges one not due', async () => {
    const eventId = await placedEventId();
    const failing = async () => new Response('down', { status: 502 });
    const first = batchOf(eventId);
    const delays: unknown[] = [];
    const message = first.messages[0] as Message<EventMessage>;
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
    await deliverBatch(first, hooked as unknown as Env, failing, now);
    const result = await getQueueResult(first, createExecutionContext());
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['msg-0']);
    expect(delays).toEqual([10]);
    // Delivered again before its time (a duplicate message): not claimed, acknowledged, nothing sent.
    let sent = 0;
    const early = batchOf(eventId);
    await deliverBatch(
      early,
      hooked as unknown as Env,
      async () => {
        sent++;
        return new Response('ok');
      },
      now,
    );
    expect((await getQueueResult(early, createExecutionContext())).explicitAcks).toEqual(['msg-0']);
    expect(sent).toBe(0);
  });

  it('sweeps due events back to the queue only while a webhook is configured', async () => {
    await placedEventId();
    expect(await sweepEvents(env as unknown as Env, time)).toBe(0);
    expect(await sweepEvents(hooked as unknown as Env, time)).toBeGreaterThan(0);
  });
});
