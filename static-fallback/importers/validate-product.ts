/** Runs a candidate through `ProductSchema` and says what failed in the source's own terms. */
import { type Product, ProductSchema } from '../../workers/shared/catalog/product-schema.ts';
import type { ImportIssue } from './import-issue.ts';

/** Maps a zod path in the product (`['images', 0, 'url']`) to the source record and field that produced it. */
export type IssueLocator = (path: readonly PropertyKey[]) => { record: string; field: string };

/** The validated product, or `undefined` with every issue (the `prior` ones first). */
export interface Validated {
  product: Product | undefined;
  issues: ImportIssue[];
}

/**
 * Validates `candidate` with `ProductSchema`. Issues already found by the importer (`prior`) come first; a zod
 * issue on a record and field that already has one is dropped, so each bad source field is reported once.
 *
 * @example
 * const { product, issues } = validateProduct(candidate, (path) => ({ record: 'products[0]', field: formatPath(path) }));
 */
export function validateProduct(candidate: unknown, locate: IssueLocator, prior: readonly ImportIssue[] = []): Validated {
  const issues = [...prior];
  const parsed = ProductSchema.safeParse(candidate);
  if (parsed.success) return { product: issues.length === 0 ? parsed.data : undefined, issues };
  const seen = new Set(issues.map(issueKey));
  for (const zodIssue of parsed.error.issues) {
    const { record, field } = locate(zodIssue.path);
    const issue = { record, field, message: zodIssue.message + describeValue(valueAt(candidate, zodIssue.path)) };
    if (seen.has(issueKey(issue))) continue;
    seen.add(issueKey(issue));
    issues.push(issue);
  }
  return { product: undefined, issues };
}

/**
 * A zod path as a property accessor.
 *
 * @example
 * formatPath(['dimensions', 'width']); // 'dimensions.width'
 * formatPath(['tags', 3]); // 'tags[3]'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${String(key)}`;
  return text || '(record)';
}

/**
 * `true` for plain objects (what JSON calls an object).
 *
 * @example
 * isObject({ a: 1 }); // true
 * isObject([1]); // false
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issueKey(issue: ImportIssue): string {
  return `${issue.record}\u0000${issue.field}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${value})`;
  if (typeof value !== 'string') return '';
  return ` (got ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`;
}
