/** zod validation problems as one line for an API error message. */

/** "attempts: Too small: expected number to be >=0; hintsUsed: …" */
export function describeIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; ');
}
