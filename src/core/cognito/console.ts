/**
 * Where things are in the AWS console for Cognito, as a user clicks through it. Every message that
 * sends a user to the console takes its path from here, so a console change is one edit.
 */

/** The domain page: its current place and where older consoles kept it. */
export const DOMAIN_PAGE = 'Branding → Domain (older console: App integration → Domain)';

/** The user pools list, where a pool ID is copied from. */
export const USER_POOLS = 'Cognito → User pools';

/** The app clients page, where a client ID is copied from. */
export const APP_CLIENTS = 'Cognito → App clients';

/** Where a client secret is shown. */
export const SHOW_CLIENT_SECRET = `${APP_CLIENTS} → Show client secret`;

/** A pool's domain page; without a pool ID, "your user pool". */
export const domainPage = (userPoolId?: string): string =>
  `${userPoolId ? `${USER_POOLS} → ${userPoolId}` : 'Cognito → your user pool'} → ${DOMAIN_PAGE}`;

/** One app client's page. */
export const appClientPage = (userPoolId: string, clientId: string): string =>
  `the Cognito console → User pools → ${userPoolId} → App clients → ${clientId}`;
