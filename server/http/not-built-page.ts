/** The page `/` shows when there is no built web app to serve. */

/** A small self-contained page (inline style only, allowed by the app CSP). */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMTP Lab: web app not built</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  code { background: #f1f1f1; padding: 0 0.3em; border-radius: 3px; }
</style>
</head>
<body>
<h1>SMTP Lab is running</h1>
<p>The web app is not built yet, so there is no console to show here.
Build it once from the project folder with <code>npm run build</code>, then reload this page.</p>
<p>The sandbox SMTP server and the API already work:</p>
<ul>
  <li><a href="/api/health">/api/health</a>: is the server up?</li>
  <li><a href="/api/messages">/api/messages</a>: the messages the sandbox captured, newest first</li>
  <li><a href="/api/sessions">/api/sessions</a>: recorded console sessions</li>
</ul>
</body>
</html>
`;
