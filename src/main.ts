/** Entry point of the browser playground (index.html). */
import { errorMessage } from './model/format';
import './styles.css';
import { startApp } from './app/app';

startApp().catch((e: unknown) => {
  const el = document.getElementById('banners');
  if (!el) return;
  const div = document.createElement('div');
  div.className = 'banner banner-error';
  div.setAttribute('role', 'alert');
  div.textContent = `The playground failed to start: ${errorMessage(e)}`;
  el.appendChild(div);
});
