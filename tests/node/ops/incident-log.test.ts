import { describe, expect, it } from 'vitest';
import {
  addChannel,
  addUpdate,
  incidentId,
  latestOpsMessage,
  openIncident,
  resolveIncident,
} from '../../../workers/showroom/ops/incident-log.ts';
import { activeOverride, effectiveMode, overrideFrom } from '../../../workers/showroom/ops/mode-override.ts';
import { parseWebhookUrls, webhookEvent } from '../../../workers/showroom/ops/webhook-events.ts';

const T0 = Date.parse('2026-11-22T15:30:00Z');

describe('incidents', () => {
  it('open with the channel and a due update, take updates, and resolve with their duration', () => {
    let incident = openIncident('origin', 'the store system is failing: status 503', T0, 30);
    expect(incident).toMatchObject({ channel: 'origin', channels: ['origin'], status: 'active', openedAt: '2026-11-22T15:30:00.000Z' });
    expect(incident.nextUpdateAt).toBe('2026-11-22T16:00:00.000Z');
    expect(incident.id).toMatch(/^inc-20261122-1530-[0-9a-f]{4}$/);
    incident = addUpdate(addChannel(incident, 'asset-cdn'), 'Working with the host.', 'ops', T0 + 600_000, 30);
    expect(incident.channels).toEqual(['origin', 'asset-cdn']);
    expect(incident.nextUpdateAt).toBe('2026-11-22T16:10:00.000Z');
    expect(latestOpsMessage(incident)).toBe('Working with the host.');
    const resolved = resolveIncident(incident, T0 + 1_800_000);
    expect(resolved).toMatchObject({
      status: 'resolved',
      durationSeconds: 1_800,
      nextUpdateAt: null,
      resolvedAt: '2026-11-22T16:00:00.000Z',
    });
    expect(latestOpsMessage(openIncident('origin', 'x', T0, 30))).toBe('');
    expect(incidentId(T0, 0)).toBe('inc-20261122-1530-0000');
  });

  it('become webhook events with the fields a CRM needs', () => {
    const incident = openIncident('origin', 'down', T0, 30);
    const event = webhookEvent('opened', incident, {
      seq: 3,
      priority: 'high',
      fallbackUrl: 'https://m.example/',
      statusUrl: 'https://s/status',
      mode: 'degraded',
      at: T0,
    });
    expect(event).toMatchObject({
      event_id: `${incident.id}.3`,
      type: 'incident.opened',
      outage_status: 'active',
      outage_channel: 'origin',
      outage_priority: 'high',
      fallback_url: 'https://m.example/',
      incident_id: incident.id,
      started_at: '2026-11-22T15:30:00.000Z',
      message: 'down',
    });
    expect(parseWebhookUrls(' https://crm.example/h , ftp://x, nope,https://crm.example/h,')).toEqual({
      urls: ['https://crm.example/h'],
      invalid: ['ftp://x', 'nope'],
    });
  });
});

describe('mode overrides', () => {
  it.each([
    ['no override', null, 'live', 'live'],
    ['forced degraded, active', { mode: 'degraded', expiresInSeconds: 600 }, 'live', 'degraded'],
    ['forced live over a degraded policy', { mode: 'live', expiresInSeconds: 600 }, 'degraded', 'live'],
    ['auto', { mode: 'auto' }, 'degraded', 'degraded'],
  ] as const)('%s → %s', (_label, request, auto, expected) => {
    const override = request ? overrideFrom({ reason: 'r', ...request }, T0) : null;
    expect(effectiveMode(auto, override, T0 + 1_000)).toBe(expected);
  });

  it('expire by themselves (an hour without an expiry, a day at most)', () => {
    const o = overrideFrom({ mode: 'degraded', reason: 'r' }, T0)!;
    expect(o.expiresAt - T0).toBe(3_600_000);
    expect(activeOverride(o, T0 + 3_599_999)).toBe(o);
    expect(activeOverride(o, T0 + 3_600_000)).toBeNull();
    expect(effectiveMode('live', o, T0 + 3_600_000)).toBe('live');
    expect(overrideFrom({ mode: 'degraded', reason: 'r', expiresInSeconds: 10 ** 9 }, T0)!.expiresAt - T0).toBe(86_400_000);
  });
});
