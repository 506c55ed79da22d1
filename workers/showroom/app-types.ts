import type { ModeView } from './mode-view.ts';

/** Which source answered a request: the `X-Vitrine-Source` header. */
export type Source = 'origin' | 'snapshot' | 'mirror' | 'edge-render' | 'edge' | 'r2' | 'primary-cdn' | 'outbox';

export interface ShowroomEnv {
  Bindings: Env;
  Variables: { mode: ModeView; source: Source };
}
