import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

// The bundle is parsed and its modules evaluated: the script's own share of the start.
performance.mark('berth:script');
const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// Start-up instrumentation (make bench, start): the frame that shows the first repository rows
// is marked as `berth:first-rows` in the page's performance timeline (two animation frames after
// the first row is in the document). The observer goes once it saw them, or after a minute
// (no credentials, an unreachable registry): nothing watches the page after start-up.
const FIRST_ROWS = '[data-testid=repo-item]';
const firstRows = new MutationObserver(() => {
  if (!target.querySelector(FIRST_ROWS)) return;
  firstRows.disconnect();
  performance.mark('berth:rows-in-document');
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('berth:first-rows')));
});
firstRows.observe(target, { childList: true, subtree: true });
setTimeout(() => firstRows.disconnect(), 60_000);

const app = mount(App, { target });
performance.mark('berth:mounted');
// The first frame of the mounted window (its skeleton, before any answer).
requestAnimationFrame(() => performance.mark('berth:first-frame'));
export default app;
