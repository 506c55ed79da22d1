import { PRIORITY_RULES_DEFAULTS, type PriorityRules, parsePriorityRules } from './ops/incident-priority.ts';
import { parseTemplateOverrides, type TemplateOverrides } from './ops/message-templates.ts';
import { parseWebhookUrls } from './ops/webhook-events.ts';

/**
 * The showroom's settings, read once from the Worker's vars with defaults for
 * every one. wrangler.toml sets them per environment; tests override bindings.
 */
export interface ShowroomConfig {
  originUrl: string;
  /** Absolute URLs and cache keys are built from this, never from Host or X-Forwarded-*. */
  canonicalOrigin: string;
  /** A request never waits on the origin longer than this. */
  originDeadlineMs: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  keepVersions: number;
  /** Name of the HealthMonitor instance this deployment reports to (one per region). */
  monitorName: string;
  /** The merchant's primary asset CDN (no trailing slash), or '' when assets come from R2 only. */
  assetPrimaryUrl: string;
  /** Path the monitor probes on that CDN (any answer below 400 is healthy). */
  assetProbePath: string;
  /** Attempts at the origin before a queued write is dead-lettered. */
  outboxMaxAttempts: number;
  /** Undelivered writes one outbox shard holds before it refuses new ones (503, never a silent drop). */
  outboxMaxWritesPerShard: number;
  /** Where incident events are POSTed (WEBHOOK_URLS, comma-separated); signed with the WEBHOOK_SECRET secret. */
  webhookUrls: string[];
  /** Where shoppers can keep browsing during an outage (messages, webhooks): FALLBACK_URL, else the showroom itself. */
  fallbackUrl: string;
  /** The merchant's name in messages (STORE_NAME). */
  storeName: string;
  /** Minutes between incident updates ops promise (INCIDENT_UPDATE_MINUTES). */
  incidentUpdateMinutes: number;
  priorityRules: PriorityRules;
  templateOverrides: TemplateOverrides;
  /** Settings that could not be used, each with the reason (shown in /status.json and /ops/state). */
  configErrors: string[];
}

export const SHOWROOM_DEFAULTS: ShowroomConfig = {
  originUrl: 'http://127.0.0.1:8788',
  canonicalOrigin: 'http://127.0.0.1:8787',
  originDeadlineMs: 800,
  probeIntervalMs: 2_000,
  probeTimeoutMs: 1_000,
  keepVersions: 3,
  monitorName: 'global',
  assetPrimaryUrl: '',
  assetProbePath: '/healthz',
  outboxMaxAttempts: 12,
  outboxMaxWritesPerShard: 10_000,
  webhookUrls: [],
  fallbackUrl: '',
  storeName: 'our store',
  incidentUpdateMinutes: 30,
  priorityRules: PRIORITY_RULES_DEFAULTS,
  templateOverrides: {},
  configErrors: [],
};

const cache = new WeakMap<object, ShowroomConfig>();

export function readConfig(env: Env): ShowroomConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const int = (value: string | undefined, fallback: number, min: number, max: number) => {
    const n = Number.parseInt(value ?? '', 10);
    return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
  };
  const probeIntervalMs = int(env.PROBE_INTERVAL_MS, SHOWROOM_DEFAULTS.probeIntervalMs, 250, 300_000);
  const configErrors: string[] = [];
  const parsed = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (err) {
      configErrors.push(err instanceof Error ? err.message : String(err));
      return fallback;
    }
  };
  const webhooks = parseWebhookUrls(env.WEBHOOK_URLS);
  for (const bad of webhooks.invalid) configErrors.push(`WEBHOOK_URLS: ${JSON.stringify(bad)} is not an http(s) URL`);
  const canonicalOrigin = new URL(env.CANONICAL_ORIGIN || SHOWROOM_DEFAULTS.canonicalOrigin).origin;
  const config: ShowroomConfig = {
    originUrl: (env.ORIGIN_URL || SHOWROOM_DEFAULTS.originUrl).replace(/\/+$/, ''),
    canonicalOrigin,
    originDeadlineMs: int(env.ORIGIN_DEADLINE_MS, SHOWROOM_DEFAULTS.originDeadlineMs, 50, 30_000),
    probeIntervalMs,
    probeTimeoutMs: Math.min(SHOWROOM_DEFAULTS.probeTimeoutMs, Math.max(100, probeIntervalMs - 100)),
    keepVersions: int(env.SNAPSHOT_KEEP_VERSIONS, SHOWROOM_DEFAULTS.keepVersions, 1, 100),
    monitorName: env.MONITOR_REGION || SHOWROOM_DEFAULTS.monitorName,
    assetPrimaryUrl: (env.ASSET_PRIMARY_URL ?? '').replace(/\/+$/, ''),
    assetProbePath: probePath(env.ASSET_PRIMARY_PROBE_PATH) ?? SHOWROOM_DEFAULTS.assetProbePath,
    outboxMaxAttempts: int(env.OUTBOX_MAX_ATTEMPTS, SHOWROOM_DEFAULTS.outboxMaxAttempts, 1, 100),
    outboxMaxWritesPerShard: int(env.OUTBOX_MAX_WRITES_PER_SHARD, SHOWROOM_DEFAULTS.outboxMaxWritesPerShard, 1, 10_000_000),
    webhookUrls: webhooks.urls,
    fallbackUrl: parseWebhookUrls(env.FALLBACK_URL).urls[0] ?? `${canonicalOrigin}/`,
    storeName: (env.STORE_NAME ?? '').trim().slice(0, 100) || SHOWROOM_DEFAULTS.storeName,
    incidentUpdateMinutes: int(env.INCIDENT_UPDATE_MINUTES, SHOWROOM_DEFAULTS.incidentUpdateMinutes, 1, 1_440),
    priorityRules: parsed(() => parsePriorityRules(env.WEBHOOK_PRIORITY_RULES), PRIORITY_RULES_DEFAULTS),
    templateOverrides: parsed(() => parseTemplateOverrides(env.MESSAGE_TEMPLATES), {}),
    configErrors,
  };
  cache.set(env, config);
  return config;
}

/** A probe path must be an absolute path (`/healthz`, `/models/probe.json`); anything else takes the default. */
function probePath(value: string | undefined): string | undefined {
  return value && /^\/[\x21-\x7e]*$/.test(value) ? value : undefined;
}
