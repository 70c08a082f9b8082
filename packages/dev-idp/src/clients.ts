/** The dev OIDC provider's clients: the console's, and another app's (tests use it for "an ID token for another client"). */
export const DEV_OIDC_CLIENT_ID = 'dharma-console';
export const OTHER_OIDC_CLIENT = { clientId: 'other-app', clientSecret: 'other-secret' } as const;
