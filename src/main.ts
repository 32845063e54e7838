/** Entry point of the browser playground (index.html). */
import './styles.css';
import { startApp } from './app/app';

startApp().catch((e: unknown) => {
  const el = document.getElementById('banners');
  if (!el) return;
  const div = document.createElement('div');
  div.className = 'banner banner-error';
  div.setAttribute('role', 'alert');
  div.textContent = `The playground failed to start: ${e instanceof Error ? e.message : String(e)}`;
  el.appendChild(div);
});
