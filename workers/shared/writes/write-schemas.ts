/**
 * The shapes of shopper writes, shared by the edge and the example origin:
 * an order intent, a lead (quote request, demo booking, call-back), and a
 * batch of analytics events. Extra fields are allowed and kept (a merchant's
 * forms carry their own), the documented ones are checked.
 *
 * @example
 * OrderIntentSchema.parse({ items: [{ sku: 'FUR-KNO-KNO-014', quantity: 1 }], contact: { name: 'Ada', email: 'ada@example.com' } });
 */
import { z } from 'zod';
import { SKU_RE } from '../catalog/product-schema.ts';

/** Largest accepted write body, in bytes (orders and leads); events batches get EVENTS_MAX_BODY_BYTES. */
export const WRITE_MAX_BODY_BYTES = 16 * 1024;
export const EVENTS_MAX_BODY_BYTES = 64 * 1024;
/** The IETF Idempotency-Key draft's key: here 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

const sku = z.string().regex(SKU_RE, 'letters, digits, ".", "_" or "-", at most 64');

export const ContactSchema = z.looseObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
});

export const OrderIntentSchema = z.looseObject({
  items: z
    .array(z.looseObject({ sku, quantity: z.number().int().min(1).max(999) }))
    .min(1)
    .max(100),
  contact: ContactSchema,
});

export const LeadSchema = z.looseObject({
  kind: z.enum(['quote', 'demo', 'callback']),
  contact: ContactSchema,
  sku: sku.optional(),
  message: z.string().max(5_000).optional(),
});

export const EventsSchema = z.looseObject({
  events: z
    .array(z.looseObject({ type: z.string().min(1).max(100) }))
    .min(1)
    .max(500),
});

export type WriteKind = 'order' | 'lead';
export const WRITE_SCHEMAS = { order: OrderIntentSchema, lead: LeadSchema } as const;
/** Where the origin takes each kind of write. */
export const WRITE_PATHS: Record<WriteKind, string> = { order: '/api/orders', lead: '/api/leads' };
