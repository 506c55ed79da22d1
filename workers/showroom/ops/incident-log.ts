/**
 * Incidents: one per outage. Opened when the showroom degrades (or a
 * component it depends on fails), with the affected channel; updated by the
 * system and by ops; resolved on recovery with its duration. Pure values in,
 * values out: the HealthMonitor stores them and sends the webhooks.
 *
 * @example
 * let incident = openIncident('origin', 'origin probes failed: status 503', Date.now(), 30);
 * incident = addUpdate(incident, 'We are on it with the hosting provider.', 'ops', Date.now(), 30);
 * incident = resolveIncident(incident, Date.now());
 */
import type { OutageChannel } from './incident-priority.ts';

/** Updates kept per incident (the oldest go first). */
export const MAX_INCIDENT_UPDATES = 50;
/** Largest ops message, in characters. */
export const MAX_UPDATE_CHARS = 1_000;

export interface IncidentUpdate {
  at: string;
  message: string;
  by: 'system' | 'ops';
}

export interface Incident {
  id: string;
  /** What failed first. */
  channel: OutageChannel;
  /** Every channel affected during the incident. */
  channels: OutageChannel[];
  status: 'active' | 'resolved';
  openedAt: string;
  resolvedAt: string | null;
  durationSeconds: number | null;
  /** When ops should post the next update (null once resolved). */
  nextUpdateAt: string | null;
  updates: IncidentUpdate[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Incident ids read well in a CRM and sort by time: `inc-20261122-1530-ab12`. */
export function incidentId(at: number, random = Math.random()): string {
  const stamp = iso(at).replace(/[-:]/g, '').slice(0, 13).replace('T', '-');
  return `inc-${stamp}-${Math.floor(random * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

export function openIncident(channel: OutageChannel, reason: string, at: number, updateEveryMinutes: number): Incident {
  return {
    id: incidentId(at),
    channel,
    channels: [channel],
    status: 'active',
    openedAt: iso(at),
    resolvedAt: null,
    durationSeconds: null,
    nextUpdateAt: iso(at + updateEveryMinutes * 60_000),
    updates: [{ at: iso(at), message: reason, by: 'system' }],
  };
}

export function addUpdate(incident: Incident, message: string, by: IncidentUpdate['by'], at: number, updateEveryMinutes: number): Incident {
  return {
    ...incident,
    updates: [...incident.updates, { at: iso(at), message: message.slice(0, MAX_UPDATE_CHARS), by }].slice(-MAX_INCIDENT_UPDATES),
    nextUpdateAt: incident.status === 'active' ? iso(at + updateEveryMinutes * 60_000) : null,
  };
}

/** Notes another affected channel (no-op when it is already listed). */
export function addChannel(incident: Incident, channel: OutageChannel): Incident {
  return incident.channels.includes(channel) ? incident : { ...incident, channels: [...incident.channels, channel] };
}

export function resolveIncident(incident: Incident, at: number, message = 'Everything is working again.'): Incident {
  const resolved = addUpdate(incident, message, 'system', at, 0);
  return {
    ...resolved,
    status: 'resolved',
    resolvedAt: iso(at),
    durationSeconds: Math.max(0, Math.round((at - Date.parse(incident.openedAt)) / 1000)),
    nextUpdateAt: null,
  };
}

/** The latest update ops posted, if any (what the banner and templates show as `message`). */
export function latestOpsMessage(incident: Incident | null | undefined): string {
  return [...(incident?.updates ?? [])].reverse().find((u) => u.by === 'ops')?.message ?? '';
}
