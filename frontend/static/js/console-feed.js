// The moderators' live feed (/ws/moderate/{slug}) on the wall's own transport (transport.js:
// backoff, refusals, the 35 s watchdog fed by the feed's heartbeats). Each socket starts with a
// `hello`; the console then reloads its queue by REST while this module buffers the socket's
// items, and applies them after (nothing is missed). The feed has no resume point: every dial
// is a fresh start.

import { CONNECTION } from "./hooks.js";
import { connect } from "./transport.js";

/**
 * Keep the feed open. `load()` returns a promise that reloads state by REST; it runs after each
 * hello, while items are buffered. `onItems(items)` gets each frame's items in order;
 * `onStatus("connecting" | "live" | "stale")`: live once the reload after a hello is done.
 * `connectImpl` is transport.js `connect` (a test passes fakes through `transportOptions`).
 * Return the transport's handle (`stop`, `nudge`, `state`).
 */
export function connectModFeed({
  path, load, onItems, onStatus = () => {}, onHello = () => {},
  connectImpl = connect, transportOptions = {}, warn = (...a) => console.warn(...a),
}) {
  let socketState = CONNECTION.connecting;   // the transport's
  let reported = null;
  let generation = 0;   // one per hello: a reload that finishes for an older socket is ignored
  let buffer = null;    // items that came while the REST reload runs
  let loaded = false;   // the reload after this socket's hello is done

  function report() {
    const state = socketState === CONNECTION.live && !loaded ? CONNECTION.connecting : socketState;
    if (state === reported) return;
    reported = state;
    onStatus(state);
  }

  function hello(frame) {
    generation += 1;
    const mine = generation;
    loaded = false;
    buffer = [];
    report();
    onHello(frame);
    let reload;
    try {
      reload = Promise.resolve(load());
    } catch (err) {
      reload = Promise.reject(err);
    }
    reload
      .catch((err) => warn("tweetwall: reload failed", err))
      .finally(() => {
        if (mine !== generation) return;
        const items = buffer;
        buffer = null;
        loaded = socketState === CONNECTION.live;   // else the socket dropped meanwhile
        report();
        if (items.length > 0) onItems(items);
      });
  }

  function onFrame(frame) {
    switch (frame && frame.type) {
      case "hello":
        hello(frame);
        break;
      case "mod": {
        const items = Array.isArray(frame.items) ? frame.items : [];
        if (buffer !== null) buffer.push(...items);
        else onItems(items);
        break;
      }
      case "heartbeat":
        break;   // the transport's watchdog has seen it: the feed is alive
      default:
        warn("tweetwall: ignoring unknown feed frame type", frame && frame.type);
    }
  }

  return connectImpl({
    path,
    resume: () => null,
    onFrame,
    onStatus: (state) => {
      socketState = state;
      // A new socket must say hello and reload before the console is live again.
      if (state !== CONNECTION.live) loaded = false;
      report();
    },
    warn,
    ...transportOptions,
  });
}
