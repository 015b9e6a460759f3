import { render } from 'preact';
import { scheduleReady } from './api.ts';
import { App } from './app.tsx';
import './style.css';

render(<App />, document.getElementById('app')!);
// A page that asks for nothing is ready once drawn; one that asks is ready when its answers are in (api.ts).
scheduleReady();
