/** What tests/workerd/global-setup.ts provides to the workerd suite. */
declare module 'vitest' {
  export interface ProvidedContext {
    originPort: number;
    originControlUrl: string;
    snapshot: unknown;
  }
}

export {};
