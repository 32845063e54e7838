/**
 * Error and notice banners over the canvas. Each banner has a key: showing a key again
 * replaces its text, `clear(key)` removes it. Text is set with textContent, never as HTML.
 */

/** error: something stopped or was refused; notice: the app chose something for you. */
export type BannerKind = 'error' | 'notice';

/** A button in a banner (e.g. "run it anyway"): clicking it removes the banner and runs `run`. */
export interface BannerAction {
  label: string;
  run: () => void;
}

/** The banner stack. */
export class Banners {
  private readonly items = new Map<string, HTMLElement>();

  constructor(private readonly root: HTMLElement) {}

  /** Shows (or replaces) the banner `key`, with an optional action button. */
  show(key: string, kind: BannerKind, text: string, action?: BannerAction): void {
    let el = this.items.get(key);
    if (!el) {
      el = document.createElement('div');
      el.dataset.key = key;
      const close = document.createElement('button');
      close.className = 'banner-close';
      close.type = 'button';
      close.title = 'Dismiss';
      close.textContent = '×';
      close.addEventListener('click', () => this.clear(key));
      const body = document.createElement('span');
      body.className = 'banner-text';
      el.append(body, close);
      this.root.appendChild(el);
      this.items.set(key, el);
    }
    el.className = `banner banner-${kind}`;
    el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    el.querySelector('.banner-text')!.textContent = text;
    el.querySelector('.banner-action')?.remove();
    if (action) {
      const button = document.createElement('button');
      button.className = 'banner-action';
      button.type = 'button';
      button.textContent = action.label;
      button.addEventListener('click', () => {
        this.clear(key);
        action.run();
      });
      el.querySelector('.banner-close')!.before(button);
    }
  }

  /** Removes the banner `key` if shown. */
  clear(key: string): void {
    this.items.get(key)?.remove();
    this.items.delete(key);
  }

  /** Text of every shown banner, by key (for the test hook). */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, el] of this.items) out[key] = el.querySelector('.banner-text')?.textContent ?? '';
    return out;
  }
}
