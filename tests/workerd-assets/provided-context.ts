/** What tests/workerd-assets/global-setup.ts provides: the published objects and the primary CDN stand-in. */
export interface PublishedFile {
  /** R2 key: `models/<id>/<name>` or `viewer/<name>`. */
  key: string;
  bytes: number;
  /** `customMetadata.sha256`, as publish writes it. */
  sha256: string;
  contentType: string;
  cacheControl: string;
  base64: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    publishedFiles: PublishedFile[];
    /** `ASSET_PRIMARY_URL` of the worker under test: the example origin's `/cdn`. */
    cdnUrl: string;
    cdnControlUrl: string;
  }
}
