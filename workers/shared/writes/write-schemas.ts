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

/** Lead kinds: the three, plus `order` (an order request from the mirror's quote page). */
export const LeadSchema = z.looseObject({
  kind: z.enum(['quote', 'demo', 'callback', 'order']),
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

export type WriteKind = 'order' | 'lead' | 'event';

/**
 * A lead from a plain HTML form (the degraded pages' quote form and the mirror's quote page without JavaScript):
 * flat fields `kind, sku, quantity, name, email, phone, message` in the lead's shape, empty fields left out.
 */
export function leadFromForm(form: { get(name: string): unknown }): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const quantity = Number.parseInt(text('quantity') ?? '', 10);
  return {
    kind: text('kind') ?? 'quote',
    sku: text('sku'),
    quantity: quantity > 0 ? quantity : undefined,
    message: text('message'),
    contact: { name: text('name') ?? '', email: text('email') ?? '', phone: text('phone') },
  };
}
export const WRITE_SCHEMAS = { order: OrderIntentSchema, lead: LeadSchema, event: EventsSchema } as const;
/** Where the origin takes each kind of write (the edge takes them on the same paths). */
export const WRITE_PATHS: Record<WriteKind, string> = { order: '/api/orders', lead: '/api/leads', event: '/api/events' };
/** Largest body per kind: an events batch may be as large as one `navigator.sendBeacon` call carries. */
export const WRITE_BODY_LIMITS: Record<WriteKind, number> = {
  order: WRITE_MAX_BODY_BYTES,
  lead: WRITE_MAX_BODY_BYTES,
  event: EVENTS_MAX_BODY_BYTES,
};
