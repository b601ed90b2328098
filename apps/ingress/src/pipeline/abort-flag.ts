import { EventEmitter } from 'node:events';

/**
 * A one-shot abort signal for the hot path: undici accepts an EventEmitter with `aborted` as a
 * request signal, and an EventEmitter costs a fraction of an AbortController/AbortSignal pair
 * (EventTarget), of which each request used two.
 */
export class AbortFlag extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}
