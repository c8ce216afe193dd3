/**
 * Imported first by main.ts, so it runs before the rest of the page's code is evaluated: the
 * Monaco console's download (and its compilation, off the main thread) starts at once. Every
 * page but the instructor's has the console. A failure is the console's to report (it waits
 * for the same load).
 */
import { isInstructorPath } from '../classroom/page-route.ts';
import { loadConsoleEditor } from './editor-loader.ts';

if (!isInstructorPath(window.location.pathname)) loadConsoleEditor().catch(() => undefined);
