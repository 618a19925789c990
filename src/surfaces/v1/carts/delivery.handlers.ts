import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.js';
import { changeContext, refused, sendCart } from '../cart-answers.js';
import type * as routes from './delivery.routes.js';

export const selectDelivery: RouteHandler<typeof routes.selectDelivery, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const outcome = await c.get('store').carts.selectDelivery(m, c.req.valid('json').option_id);
  if (outcome.applied) return sendCart(c, outcome.cart, 200);
  return refused(c, outcome);
};

export const clearDelivery: RouteHandler<typeof routes.clearDelivery, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const outcome = await c.get('store').carts.clearDelivery(m);
  if (outcome.applied) return sendCart(c, outcome.cart, 200);
  return refused(c, outcome);
};
