// The page's toasts: shows each `lightning__showtoast` event as Lightning Experience does (SLDS toast,
// success/info/warning/error, dismissible after a few seconds, sticky until closed, pester without a
// close button). Text only: a toast never renders its message as HTML.

import type { ToastOptions } from 'lightning/platformShowToastEvent';
import { TOAST_EVENT } from './toastEvent';

const DISMISS_AFTER_MS = 4800;

function toastElement(toast: ToastOptions, close: () => void): HTMLElement {
  const variant = toast.variant ?? 'info';
  const element = document.createElement('div');
  element.className = `slds-notify slds-notify_toast slds-theme_${variant}`;
  element.setAttribute('role', variant === 'error' || variant === 'warning' ? 'alert' : 'status');
  element.dataset.variant = variant;
  const assistive = document.createElement('span');
  assistive.className = 'slds-assistive-text';
  assistive.textContent = variant;
  const content = document.createElement('div');
  content.className = 'slds-notify__content';
  const title = document.createElement('h2');
  title.className = 'slds-text-heading_small';
  title.textContent = toast.title;
  content.append(title);
  if (toast.message) {
    const message = document.createElement('p');
    message.textContent = toast.message;
    content.append(message);
  }
  element.append(assistive, content);
  if (toast.mode !== 'pester') {
    const closeBox = document.createElement('div');
    closeBox.className = 'slds-notify__close';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'slds-button slds-button_icon slds-button_icon-inverse';
    button.title = 'Close';
    button.innerHTML =
      '<svg class="slds-button__icon slds-button__icon_large" aria-hidden="true"><use href="/slds/icons/utility-sprite/svg/symbols.svg#close"></use></svg>';
    const label = document.createElement('span');
    label.className = 'slds-assistive-text';
    label.textContent = 'Close';
    button.append(label);
    button.addEventListener('click', close);
    closeBox.append(button);
    element.append(closeBox);
  }
  return element;
}

export function installToasts(container: HTMLElement): void {
  document.addEventListener(TOAST_EVENT, (event) => {
    const toast = (event as CustomEvent<ToastOptions>).detail;
    if (!toast?.title) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const element = toastElement(toast, () => {
      clearTimeout(timer);
      element.remove();
    });
    container.append(element);
    if (toast.mode !== 'sticky')
      timer = setTimeout(() => element.remove(), toast.mode === 'pester' ? 3000 : DISMISS_AFTER_MS);
  });
}
