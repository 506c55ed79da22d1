/** What tests/workerd/global-setup.ts provides to the workerd suite. */
declare module 'vitest' {
  export interface ProvidedContext {
    originPort: number;
    originControlUrl: string;
    crmPort: number;
    crmControlUrl: string;
    snapshot: unknown;
  }
}

export {};
