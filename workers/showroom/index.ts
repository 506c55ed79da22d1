/**
 * Vitrine showroom worker entry: the Hono app for requests, the cron trigger
 * for snapshot refresh (and keeping the monitor's probe alarm armed), and the
 * HealthMonitor Durable Object class.
 */
import { app } from './app.ts';
import { monitorStub } from './mode-view.ts';
import { refreshSnapshot } from './refresh-snapshot.ts';

export { HealthMonitor } from './health-monitor.ts';
export { WriteOutbox } from './write-outbox.ts';

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(monitorStub(env).status());
    await refreshSnapshot(env);
  },
} satisfies ExportedHandler<Env>;
