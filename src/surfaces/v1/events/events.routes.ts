import { createRoute, z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../../../data/events.js';
import { bookmarkHeader, withBookmark } from '../../../platform/bookmark.js';
import { adminErrors, pageQuery } from '../admin/admin.routes.js';
import { adminSecurity, bookmarkRefused, everywhere, pageResponse, problem, unwantedPostBody } from '../responses.js';

export const eventSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string().openapi({ example: 'evt_Q2kVb3mZ0aZ9xYw2VbN7cD' }),
    source: z.string().openapi({ example: '/edgecart' }),
    type: z.enum(EVENT_TYPES).openapi({ example: 'order.placed' }),
    time: z.string().openapi({ format: 'date-time' }),
    datacontenttype: z.literal('application/json'),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        'The order as placed (`order.placed`) or after the move (`order.paid`, `order.fulfilled`, `order.cancelled`), or the cart as it was (`cart.expired`).',
    }),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int().openapi({ description: 'Delivery attempts made (since the last redelivery).' }),
    last_error: z.string().nullable().openapi({ example: 'HTTP 500' }),
    next_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: 'When a pending event is next tried.', format: 'date-time' }),
  })
  .openapi('Event');

const eventIdParam = z.object({
  eventId: z.string().openapi({ param: { name: 'eventId', in: 'path' }, example: 'evt_Q2kVb3mZ0aZ9xYw2VbN7cD' }),
});

export const listEvents = createRoute({
  operationId: 'listEvents',
  method: 'get',
  path: '/admin/events',
  tags: ['Admin'],
  summary: 'List events',
  description: 'Events and their delivery state, newest first. Delivered events are kept `EVENT_RETENTION_DAYS`.',
  security: adminSecurity,
  request: {
    query: pageQuery.extend({ status: z.enum(['pending', 'delivered', 'failed']).optional() }),
    headers: bookmarkHeader,
  },
  responses: withBookmark({
    200: pageResponse('events', eventSchema),
    ...bookmarkRefused,
    ...adminErrors,
    422: problem('A bad `status`, `limit` or `cursor` (`validation-failed`).'),
    ...everywhere,
  }),
});

export const redeliverEvent = createRoute({
  operationId: 'redeliverEvent',
  method: 'post',
  path: '/admin/events/{eventId}/redeliver',
  tags: ['Admin'],
  summary: 'Redeliver an event',
  description:
    'Makes the event due now, for a fresh round of up to `WEBHOOK_MAX_ATTEMPTS` attempts (a failed one included).',
  security: adminSecurity,
  request: { params: eventIdParam, headers: bookmarkHeader },
  responses: withBookmark({
    200: { description: 'The event, pending.', content: { 'application/json': { schema: eventSchema } } },
    ...bookmarkRefused,
    ...adminErrors,
    404: problem('No event with that id (`not-found`).'),
    ...unwantedPostBody,
    ...everywhere,
  }),
});
