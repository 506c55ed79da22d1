/**
 * The strongest thing a merchant would self-host instead of Vitrine: Debian's
 * nginx as a caching reverse proxy in front of the same example origin.
 * - Pages: the same pre-rendered static mirror, served from disk.
 * - `/api/`: proxied with a cache (`proxy_cache_use_stale error timeout updating
 *   http_500 http_502 http_503 http_504`, background updates, a cache lock),
 *   timeouts tuned to the edge's deadline, `max_fails` on the upstream.
 * - `/models/`: the primary asset CDN (`/cdn` on the origin), cached the same way.
 * - Writes are proxied; nginx has nowhere to keep them when the origin fails.
 * `X-Cache-Status` tells the drill which answers came from a stale entry.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const NGINX_BIN = process.env.NGINX ?? '/usr/sbin/nginx';

export const hasNginx = () => existsSync(NGINX_BIN);

export interface NginxBaseline {
  url: string;
  config: string;
  stop(): Promise<void>;
}

/** The nginx.conf the baseline runs (exported for the report and the unit test). */
export function nginxConfig(options: { port: number; originPort: number; mirrorDir: string; dir: string; deadlineMs: number }): string {
  const { port, originPort, mirrorDir, dir, deadlineMs } = options;
  const proxy = (cacheValid: string) => `
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache drill;
      proxy_cache_valid 200 ${cacheValid};
      proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
      proxy_cache_background_update on;
      proxy_cache_lock on;
      proxy_cache_lock_timeout ${deadlineMs}ms;
      proxy_connect_timeout ${Math.min(deadlineMs, 300)}ms;
      proxy_send_timeout ${deadlineMs}ms;
      proxy_read_timeout ${deadlineMs}ms;
      proxy_next_upstream off;
      add_header X-Cache-Status $upstream_cache_status always;`;
  return `# The drill's baseline: nginx as a caching reverse proxy in front of the example origin.
${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; application/json json; text/csv csv; application/pdf pdf; text/plain txt; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=drill:10m max_size=1g inactive=1h use_temp_path=off;
  upstream origin {
    server 127.0.0.1:${originPort} max_fails=1 fail_timeout=2s;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    root ${mirrorDir};
    location / {
      try_files $uri $uri/index.html $uri.html =404;
    }
    location /api/ {
      proxy_pass http://origin;${proxy('5s')}
    }
    location /models/ {
      proxy_pass http://origin/cdn/models/;${proxy('1h')}
    }
  }
}
`;
}

export async function startNginxBaseline(options: {
  port: number;
  originUrl: string;
  mirrorDir: string;
  deadlineMs: number;
  log?: (line: string) => void;
}): Promise<NginxBaseline> {
  if (!hasNginx())
    throw new Error(`nginx not found at ${NGINX_BIN}: apt-get install -y nginx (or set NGINX), or run the drill with --no-baseline`);
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-drill-nginx-'));
  for (const sub of ['cache', 'body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, sub));
  const originPort = Number(new URL(options.originUrl).port);
  const config = nginxConfig({ port: options.port, originPort, mirrorDir: options.mirrorDir, dir, deadlineMs: options.deadlineMs });
  const file = join(dir, 'nginx.conf');
  await writeFile(file, config);
  const child: ChildProcess = spawn(NGINX_BIN, ['-c', file, '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) return { url, config, stop };
    } catch {}
    await sleep(100);
  }
  await stop();
  throw new Error(`nginx did not start: ${output.trim() || `exit code ${child.exitCode}`}`);
}
