/**
 * mailauth 4.13 ships no types for its SPF evaluator, which (unlike its `spf()` wrapper) says
 * which mechanism decided. Only what spf-mechanism.ts reads is declared.
 */
declare module 'mailauth/lib/spf/spf-verify.js' {
  export interface SpfMatch {
    readonly type?: string;
    readonly val?: string;
    readonly qualifier?: string;
    readonly include?: SpfMatch;
    readonly error?: string;
  }
  type Resolve = (name: string, rrtype: string) => Promise<unknown>;
  export function spfVerify(
    domain: string,
    opts: { sender: string; ip: string; helo: string; mta: string; resolver: Resolve; createSubResolver: () => Resolve },
  ): Promise<SpfMatch | false>;
}
