// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom lacks MessageChannel, which react-dom/server (imported by @grafana/ui) needs at load time.
// A timer-based channel: Node's own MessagePorts would keep Jest from exiting.
class TimerMessageChannel {
  constructor() {
    const connect = (target) => ({
      onmessage: null,
      postMessage: (data) => setTimeout(() => target().onmessage?.({ data }), 0),
      start() {},
      close() {},
    });
    this.port1 = connect(() => this.port2);
    this.port2 = connect(() => this.port1);
  }
}
if (typeof global.MessageChannel === 'undefined') {
  Object.assign(global, { MessageChannel: TimerMessageChannel });
}

// jsdom lacks IntersectionObserver, which @grafana/ui's select menus use to track visibility.
if (typeof global.IntersectionObserver === 'undefined') {
  Object.assign(global, {
    IntersectionObserver: class {
      observe() {}
      unobserve() {}
      disconnect() {}
      takeRecords() {
        return [];
      }
    },
  });
}

// jsdom has no canvas and no layout. @grafana/ui's Combobox measures option text on a canvas and
// renders only the options its virtual list (@tanstack/virtual, reading clientHeight) has room
// for: text gets 8 px a character, elements a 320×480 client box (room for our short lists).
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text) => ({ width: String(text).length * 8 }) };
};
Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 480 });
Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 320 });

// Grafana's Select and editors render slowly in jsdom; under a loaded CI machine the default 1 s
// wait of findBy*/waitFor can expire before a resolved resource call has rendered.
import { configure } from '@testing-library/react';
configure({ asyncUtilTimeout: 5000 });
// A test needs longer than one such wait, to fail on its own assertion rather than on the timeout.
jest.setTimeout(30_000);
