/** `state`, `identity`, `tls` and `auth`: where the session stands right now. */
import type { SessionSummary } from '../../session/summary.ts';
import type { Verdict } from './verdict.ts';

/** The session's state path equals `path` or lies inside it ("identified" covers "identified.idle"). */
export function evaluateState(path: string, summary: SessionSummary): Verdict {
  const passed = summary.state === path || summary.state.startsWith(`${path}.`);
  return {
    passed,
    label: `The session reaches the state ${path}`,
    notYet: `the session is in ${summary.state}, not in ${path}`,
  };
}

/** The server accepted the client's EHLO/HELO, optionally with a given verb and a domain pattern. */
export function evaluateIdentity(spec: { readonly verb?: 'EHLO' | 'HELO'; readonly domain?: string }, summary: SessionSummary): Verdict {
  const { identity } = summary;
  const verb = spec.verb ?? 'EHLO or HELO';
  const domain = spec.domain === undefined ? '' : ` with a name matching /${spec.domain}/`;
  const passed =
    identity !== null &&
    (spec.verb === undefined || identity.verb === spec.verb) &&
    (spec.domain === undefined || new RegExp(spec.domain, 'i').test(identity.domain));
  return {
    passed,
    label: `The server accepts your ${verb}${domain}`,
    notYet: `the server has not accepted a ${verb}${domain} in this session`,
  };
}

/** The connection is (or is not) protected by TLS. */
export function evaluateTls(wanted: boolean, summary: SessionSummary): Verdict {
  const active = summary.tls !== null;
  return wanted
    ? { passed: active, label: 'The connection is encrypted with TLS', notYet: 'the connection is not encrypted with TLS' }
    : { passed: !active, label: 'The connection is not encrypted', notYet: 'the connection is encrypted' };
}

/** The server accepted an AUTH, optionally for a given user and mechanism. */
export function evaluateAuth(spec: { readonly user?: string; readonly mechanism?: string }, summary: SessionSummary): Verdict {
  const { auth } = summary;
  const as = spec.user === undefined ? '' : ` as ${spec.user}`;
  const using = spec.mechanism === undefined ? '' : ` with AUTH ${spec.mechanism.toUpperCase()}`;
  const passed =
    auth !== null &&
    (spec.user === undefined || auth.user === spec.user) &&
    (spec.mechanism === undefined || auth.mechanism.toUpperCase() === spec.mechanism.toUpperCase());
  return {
    passed,
    label: `You are authenticated${as}${using}`,
    notYet: `you are not authenticated${as}${using} in this session`,
  };
}
