/**
 * Pulls the origin's `/pim/export` and publishes it as a new snapshot version.
 * A schema-invalid export (or an unreachable origin) leaves the current
 * snapshot in place; the reason is logged and returned.
 */

import { logEvent } from '../shared/observability/log-event.ts';
import { publishSnapshot } from '../shared/snapshot/publish-snapshot.ts';
import { readConfig } from './config.ts';
import { resetSnapshotReader } from './snapshot-access.ts';

export const EXPORT_TIMEOUT_MS = 30_000;

export type RefreshResult = { ok: true; version: string; published: boolean } | { ok: false; reason: string };

export async function refreshSnapshot(env: Env): Promise<RefreshResult> {
  const { originUrl, keepVersions } = readConfig(env);
  let result: RefreshResult;
  try {
    const res = await fetch(`${originUrl}/pim/export`, {
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`origin answered ${res.status}`);
    const document = await res.json().catch(() => {
      throw new Error('export is not JSON');
    });
    const published = await publishSnapshot({ kv: env.CATALOG_KV, r2: env.ASSETS_R2 }, document, { keepVersions });
    if (published.published) resetSnapshotReader();
    result = { ok: true, version: published.version, published: published.published };
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'ZodError'
        ? `export failed the snapshot schema: ${err.message.slice(0, 500)}`
        : String(err instanceof Error ? err.message : err);
    result = { ok: false, reason };
  }
  logEvent({ event: 'snapshot-refresh', ...result });
  return result;
}
