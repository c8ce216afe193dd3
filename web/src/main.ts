/**
 * Entry point: mounts the page (the app shell, or a classroom page). The Monaco console starts
 * downloading at once; the live bridge, the classroom pages and the hidden tabs load on demand.
 */
// First: starts the Monaco console's download before the rest of the code is evaluated.
import './console/editor-preload.ts';
import { startPage } from './classroom/start-page.ts';
import './styles/tokens.css';
import './shell/global.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
void startPage(target);
