import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { validationHook } from '../../lib/openapi.js';
import * as h from './carts.handlers.js';
import * as r from './carts.routes.js';

/** The /v1 cart routes, chained so their types reach the typed client. */
export const cartRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(r.createCart, h.createCart)
  .openapi(r.getCart, h.getCart)
  .openapi(r.deleteCart, h.deleteCart)
  .openapi(r.addItem, h.addItem)
  .openapi(r.updateItem, h.updateItem)
  .openapi(r.removeItem, h.removeItem)
  .openapi(r.clearCart, h.clearCart);
