/** Entry point: mounts the page (the app shell, or a classroom page). Monaco and the live bridge load later, on demand. */
import { isInstructorPath } from './classroom/page-route.ts';
import { startPage } from './classroom/start-page.ts';
import { loadConsoleEditor } from './console/editor-loader.ts';
import './styles/tokens.css';
import './app/global.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
// Every page but the instructor's has the console: its editor downloads while the page starts.
// A failure here is the console's to report (it waits for the same load).
if (!isInstructorPath(window.location.pathname)) loadConsoleEditor().catch(() => undefined);
void startPage(target);
