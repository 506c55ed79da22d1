/**
 * The JSON event a CRM, chat or incident tool receives when an incident opens,
 * is updated or resolves: the fields a CRM workflow needs to tag and
 * prioritise affected leads (`outage_status`, `outage_channel`,
 * `outage_priority`, `fallback_url`), the incident's id and times, and the
 * latest message. Pure; the HealthMonitor queues one delivery per URL.
 *
 * @example
 * const event = webhookEvent('opened', incident, { seq: 1, priority: 'high', fallbackUrl, statusUrl, mode: 'degraded' });
 */
import type { Mode } from '../../shared/resilience/mode-policy.ts';
import type { Incident } from './incident-log.ts';
import type { OutagePriority } from './incident-priority.ts';

export type WebhookEventType = 'opened' | 'updated' | 'resolved';

export interface WebhookEvent {
  /** Unique per event (also its Idempotency-Key): receivers deduplicate on it. */
  event_id: string;
  type: `incident.${WebhookEventType}`;
  outage_status: 'active' | 'resolved';
  outage_channel: Incident['channel'];
  outage_channels: Incident['channels'];
  outage_priority: OutagePriority;
  fallback_url: string;
  status_url: string;
  incident_id: string;
  mode: Mode;
  started_at: string;
  resolved_at: string | null;
  duration_seconds: number | null;
  next_update_at: string | null;
  message: string;
  sent_at: string;
}

export function webhookEvent(
  type: WebhookEventType,
  incident: Incident,
  context: { seq: number; priority: OutagePriority; fallbackUrl: string; statusUrl: string; mode: Mode; at?: number },
): WebhookEvent {
  return {
    event_id: `${incident.id}.${context.seq}`,
    type: `incident.${type}`,
    outage_status: incident.status,
    outage_channel: incident.channel,
    outage_channels: incident.channels,
    outage_priority: context.priority,
    fallback_url: context.fallbackUrl,
    status_url: context.statusUrl,
    incident_id: incident.id,
    mode: context.mode,
    started_at: incident.openedAt,
    resolved_at: incident.resolvedAt,
    duration_seconds: incident.durationSeconds,
    next_update_at: incident.nextUpdateAt,
    message: incident.updates.at(-1)?.message ?? '',
    sent_at: new Date(context.at ?? Date.now()).toISOString(),
  };
}

/** WEBHOOK_URLS (comma-separated) as URLs; anything that is not an absolute http(s) URL is reported, not used. */
export function parseWebhookUrls(value: string | undefined): { urls: string[]; invalid: string[] } {
  const urls: string[] = [];
  const invalid: string[] = [];
  for (const raw of (value ?? '').split(',').map((s) => s.trim())) {
    if (!raw) continue;
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {}
    if (url && (url.protocol === 'https:' || url.protocol === 'http:')) urls.push(url.href);
    else invalid.push(raw);
  }
  return { urls: [...new Set(urls)], invalid };
}
