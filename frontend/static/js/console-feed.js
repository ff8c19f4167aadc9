// The moderators' live feed (/ws/moderate/{slug}): one socket, redialled with the wall's
// backoff. Each socket starts with a `hello`; the console then reloads its queue by REST while
// this module buffers the socket's items, and applies them after (nothing is missed).

import { backoffDelay, socketUrl } from "./transport.js";

/**
 * Keep the feed open. `load()` returns a promise that reloads state by REST; it runs after each
 * hello, while items are buffered. `onItems(items)` gets each frame's items in order;
 * `onStatus("connecting" | "live" | "stale")`. Return `{stop}`.
 */
export function connectModFeed({
  path, load, onItems, onStatus = () => {}, onHello = () => {},
  WebSocketImpl = globalThis.WebSocket, timers = globalThis, warn = (...a) => console.warn(...a),
}) {
  let socket = null;
  let attempt = 0;
  let timer = null;
  let stopped = false;

  function open() {
    timer = null;
    if (stopped) return;
    let ws;
    try {
      ws = new WebSocketImpl(socketUrl(path, null));
    } catch (err) {
      warn("tweetwall: cannot open the moderators' feed", err);
      retry();
      return;
    }
    socket = ws;
    let buffer = null; // items that came while the REST reload runs
    ws.addEventListener("message", (msg) => {
      if (ws !== socket) return;
      let frame;
      try {
        frame = JSON.parse(msg.data);
      } catch {
        warn("tweetwall: ignoring a feed frame that is not JSON");
        return;
      }
      if (frame.type === "hello") {
        attempt = 0;
        onHello(frame);
        buffer = [];
        Promise.resolve(load()).catch((err) => warn("tweetwall: reload failed", err)).finally(() => {
          if (ws !== socket) return;
          const items = buffer;
          buffer = null;
          onStatus("live");
          if (items.length > 0) onItems(items);
        });
      } else if (frame.type === "mod") {
        const items = Array.isArray(frame.items) ? frame.items : [];
        if (buffer !== null) buffer.push(...items);
        else onItems(items);
      } else {
        warn("tweetwall: ignoring unknown feed frame type", frame.type);
      }
    });
    ws.addEventListener("close", () => {
      if (ws !== socket) return;
      socket = null;
      retry();
    });
  }

  function retry() {
    if (stopped) return;
    onStatus(attempt === 0 ? "connecting" : "stale");
    timers.clearTimeout(timer);
    timer = timers.setTimeout(open, backoffDelay(attempt));
    attempt += 1;
  }

  onStatus("connecting");
  open();
  return {
    stop() {
      stopped = true;
      timers.clearTimeout(timer);
      if (socket) socket.close(1000, "page closed");
      socket = null;
    },
  };
}
