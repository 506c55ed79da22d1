/**
 * The Khronos glTF validator, as the pipeline uses it: errors and warnings as
 * one-line messages (`CODE at /json/pointer: text`), infos and hints dropped.
 */
import type { ValidationMessage } from 'gltf-validator';

export interface ValidationResult {
  errors: string[];
  warnings: string[];
}

export interface ValidateOptions {
  /** Shown in messages and the validator's report. */
  uri: string;
  /** External files by URI (a .gltf's buffers and images); a URI not here is reported missing. */
  resources?: Record<string, Uint8Array>;
  /** Issue codes not to report (e.g. UNSUPPORTED_EXTENSION for EXT_meshopt_compression, which the validator cannot look into). */
  ignored?: string[];
}

let validator: Promise<typeof import('gltf-validator')> | undefined;

/**
 * Validates a GLB or glTF JSON; never throws for a bad model (the problems are in `errors`).
 *
 * @example
 * const { errors, warnings } = await validateGltf(glb, { uri: '0-1a2b3c4d5e6f.glb' });
 */
export async function validateGltf(bytes: Uint8Array, options: ValidateOptions): Promise<ValidationResult> {
  validator ??= import('gltf-validator').catch((err: Error) => {
    throw new Error(`assets: cannot load gltf-validator (${err.message}); run npm install in the project`);
  });
  const { validateBytes } = await validator;
  const resources = options.resources ?? {};
  let messages: ValidationMessage[];
  try {
    const report = await validateBytes(bytes, {
      uri: options.uri,
      maxIssues: 0,
      writeTimestamp: false,
      ignoredIssues: options.ignored ?? [],
      externalResourceFunction: async (uri) => {
        const data = resources[uri] ?? resources[decodeURIComponent(uri)];
        if (!data) throw new Error(`${uri} is missing`);
        return data;
      },
    });
    messages = report.issues.messages;
  } catch (err) {
    // The validator rejects (with a string) when it cannot even tell GLB from glTF JSON.
    return { errors: [`not readable as glTF: ${err instanceof Error ? err.message : String(err)}`], warnings: [] };
  }
  return {
    errors: groupMessages(messages.filter((m) => m.severity === 0)),
    warnings: groupMessages(messages.filter((m) => m.severity === 1)),
  };
}

/**
 * Validator messages on one line each; the same code and text at several places is one line listing them.
 *
 * @example
 * groupMessages(messages); // ['MESH_PRIMITIVE_GENERATED_TANGENT_SPACE at /meshes/0/primitives/0/material, /meshes/1/primitives/0/material: Material requires…']
 */
export function groupMessages(messages: readonly ValidationMessage[], maxPlaces = 3): string[] {
  const groups = new Map<string, string[]>();
  for (const m of messages) {
    const key = `${m.code}\0${m.message}`;
    const where = m.pointer ?? (m.offset !== undefined ? `byte ${m.offset}` : '');
    groups.set(key, [...(groups.get(key) ?? []), where]);
  }
  return [...groups].map(([key, places]) => {
    const [code, message] = key.split('\0');
    const known = places.filter(Boolean);
    const listed = known.slice(0, maxPlaces).join(', ') + (known.length > maxPlaces ? ` and ${known.length - maxPlaces} more` : '');
    return `${code}${listed ? ` at ${listed}` : ''}: ${message}`;
  });
}

/** The first few messages, and how many more there are: enough to act on, short enough to read. */
export function summarizeMessages(messages: readonly string[], max = 3): string {
  const shown = messages.slice(0, max).join('; ');
  return messages.length > max ? `${shown}; and ${messages.length - max} more` : shown;
}
