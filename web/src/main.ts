/** Entry point: mounts the page (the app shell, or a classroom page). Monaco and the live bridge load later, on demand. */
import { startPage } from './classroom/start-page.ts';
import './styles/tokens.css';
import './app/global.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
void startPage(target);
