/** The help text of `smtp-lab serve`, kept apart so `smtp-lab help` loads no server code. */
import { describeSettings } from '../config/load-server-config.ts';

export const SERVE_USAGE = `Usage: smtp-lab serve [options]

Runs SMTP Lab's live sandbox in one process: the web app and JSON API over HTTP, the
console's WebSocket bridge at /ws, and the sandboxed real SMTP server (STARTTLS, and
SMTPS if asked for). Every message is captured in the data directory; mail for the lab
internet's domains (example.com, example.net, example.org, …) is relayed between loopback
listeners only, never to a real host.
Everything listens on loopback unless you say otherwise. Ctrl+C stops it cleanly.

Options (flag, then environment variable; flags win):
${describeSettings()}  --help  show this help

Durations are seconds or take a unit (500ms, 90s, 5m, 1h); sizes are bytes or take k/M.
`;
