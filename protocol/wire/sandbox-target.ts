/**
 * The welcome's id for the sandbox's own target (a real smtp-server), which the bridge lists
 * first. In a file of its own so the page can read it without loading the wire schemas.
 */
export const SANDBOX_TARGET_ID = 'sandbox';
