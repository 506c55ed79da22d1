/** glTF-Transform's logger for one model build: warnings kept for the report, nothing printed (stdout is the CLI's). */
import type { ILogger } from '@gltf-transform/core';

export interface CollectingLogger extends ILogger {
  /** Distinct warnings and errors, in the order first seen. */
  readonly messages: string[];
}

/**
 * @example
 * const logger = collectingLogger();
 * document.setLogger(logger);
 * await document.transform(weld());
 * logger.messages; // ['quantize: Skipping TEXCOORD_0; out of [0,1] range.']
 */
export function collectingLogger(): CollectingLogger {
  const seen = new Set<string>();
  const keep = (text: string) => void seen.add(text);
  return {
    get messages() {
      return [...seen];
    },
    debug: () => {},
    info: () => {},
    warn: keep,
    error: keep,
  };
}
