/** The admin bearer token the workerd suite configures (a test value, not a secret). */
export const ADMIN_TOKEN_FOR_TESTS = 'test-ops-token-5f1c0a9e77d2';
/** The webhook signing secret the workerd suite configures (a test value, not a secret). */
export const WEBHOOK_SECRET_FOR_TESTS = 'test-webhook-secret-8b2d41f0c3';
