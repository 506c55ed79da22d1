/**
 * Counts the requests that reached the shopper port (faulted or not), per path.
 */

/** What `GET /stats` answers. */
export interface RequestStatsSnapshot {
  requests: number;
  /** Pathname (no query) → count. */
  byPath: Record<string, number>;
}

/** A request counter; connections refused by `down` never reach it. */
export class RequestStats {
  #requests = 0;
  #byPath = new Map<string, number>();

  /** Counts one request to `pathname`. */
  record(pathname: string): void {
    this.#requests += 1;
    this.#byPath.set(pathname, (this.#byPath.get(pathname) ?? 0) + 1);
  }

  /** A copy of the counters. */
  snapshot(): RequestStatsSnapshot {
    return { requests: this.#requests, byPath: Object.fromEntries(this.#byPath) };
  }

  /** Back to zero. */
  reset(): void {
    this.#requests = 0;
    this.#byPath.clear();
  }
}
