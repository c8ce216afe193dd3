/** Suggested recipients from a server's local users and domains (Personality.suggestedRecipients). */

/**
 * Two mailboxes at the first of `domains`, for the first two of `users` other than postmaster
 * (a role address every server must take, RFC 5321 §4.5.1, but not one a learner writes to).
 */
export function twoMailboxes(users: Iterable<string>, domains: readonly string[]): readonly [string, string] {
  const [domain] = domains;
  const [first, second] = [...users].filter((user) => user !== 'postmaster');
  if (domain === undefined || first === undefined || second === undefined) throw new Error('a local domain and two users other than postmaster are needed');
  return [`${first}@${domain}`, `${second}@${domain}`];
}
