// `lightning/platformShowToastEvent` in the preview: the same event name and detail as Lightning
// Experience (`lightning__showtoast`, bubbling and composed); the page shell shows it (see toasts.ts).
import type { ToastOptions } from 'lightning/platformShowToastEvent';

export const TOAST_EVENT = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent<ToastOptions> {
  constructor(toast: ToastOptions) {
    super(TOAST_EVENT, { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}
