/**
 * The placeholder values of an incident, for the message templates (banner,
 * email, SMS, …): what the showroom knows; per-recipient values such as
 * `first_name` come from the caller.
 *
 * @example
 * renderTemplate('banner', 'active', incidentValues(readConfig(env), status.incident));
 */
import type { ShowroomConfig } from '../config.ts';
import { type Incident, latestOpsMessage } from './incident-log.ts';
import type { TemplateValues } from './message-templates.ts';

export function incidentValues(config: ShowroomConfig, incident: Incident | null, now = Date.now()): TemplateValues {
  const next = incident?.nextUpdateAt ? Math.max(1, Math.round((Date.parse(incident.nextUpdateAt) - now) / 60_000)) : null;
  const end = incident?.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return {
    store_name: config.storeName,
    fallback_url: config.fallbackUrl,
    status_url: `${config.canonicalOrigin}/status`,
    incident_id: incident?.id,
    outage_channel: incident?.channel,
    started_at: incident?.openedAt ? `${incident.openedAt.slice(0, 16).replace('T', ' ')} UTC` : undefined,
    resolved_at: incident?.resolvedAt ? `${incident.resolvedAt.slice(0, 16).replace('T', ' ')} UTC` : undefined,
    duration_minutes: incident ? Math.max(1, Math.round((end - Date.parse(incident.openedAt)) / 60_000)) : undefined,
    next_update_minutes: next ?? config.incidentUpdateMinutes,
    message: latestOpsMessage(incident),
  };
}
