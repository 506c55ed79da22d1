/** What tests/workerd-assets/global-setup.ts provides: published files and the primary CDN stand-in. */
export interface PublishedFile {
  /** R2 key: `models/<id>/<name>`. */
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
  cacheControl: string;
  base64: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    publishedFiles: PublishedFile[];
    cdnUrl: string;
    cdnControlUrl: string;
  }
}
