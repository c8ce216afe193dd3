/** Entry point: mounts the app shell. Monaco and the live bridge load later, on demand. */
import { mount } from 'svelte';
import App from './App.svelte';
import './styles/tokens.css';
import './app/global.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
mount(App, { target });
