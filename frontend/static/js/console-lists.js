// The console's two lists, the pending queue and the wall as the public sees it: their items,
// the selection the keys move and act on, which list is active, the filter and the queue's
// order. Decisions are not made here: a button press goes to `onAction(action, id)`.

import { CONSOLE_ATTR, CONSOLE_CLASS, CONSOLE_ID, CONSOLE_SEL } from "./hooks.js";
import { matches, moveFrom, nextAfter } from "./console-queue.js";
import { ListView, buildItem } from "./console-view.js";

const ORDER_KEY = "tweetwall:console-order";

/** Return the queue order saved in `win`'s storage ("oldest" unless "newest" was chosen). */
export function readOrder(win = globalThis) {
  try {
    return win.localStorage.getItem(ORDER_KEY) === "newest" ? "newest" : "oldest";
  } catch {
    return "oldest";   // private mode, storage disabled: even reading `localStorage` may throw
  }
}

/**
 * The lists of a console `ctx` ({doc, state}). `onAction(action, id)` gets the item buttons'
 * actions; `onQueueSize(n)` the queue's size after each render.
 */
export function createLists({ doc, state }, { onAction, onQueueSize = () => {}, win = globalThis,
  onSelect = () => {}, afterRender = () => {} }) {
  const $ = (id) => doc.getElementById(id);
  const { queue, wall, hiddenLocally } = state;
  let selectAfterLoad = null;   // a post coming back to the queue (an undo), to select when it shows

  const lists = {
    queue: {
      panel: $(CONSOLE_ID.queuePanel),
      box: $(CONSOLE_ID.queue),
      view: new ListView($(CONSOLE_ID.queue), {
        idPrefix: "q",
        onSelect: () => state.active === "queue" && onSelect(),
        build: (id) => {
          const item = queue.get(id);
          return buildItem(item.post, { kind: "queue", reason: item.reason, pendingMode: state.preMode });
        },
      }),
      ids: () => queue.ids(state.filter),
      version: (id) => queue.get(id),
      post: (id) => (queue.get(id) ? queue.get(id).post : null),
      empty: $(CONSOLE_ID.queueEmpty),
      count: $(CONSOLE_ID.queueCount),
      total: () => queue.size,
      last: [],
      auto: true,   // the selection follows the top until the moderator moves it
    },
    wall: {
      panel: $(CONSOLE_ID.wallPanel),
      box: $(CONSOLE_ID.wall),
      view: new ListView($(CONSOLE_ID.wall), {
        idPrefix: "w",
        onSelect: () => state.active === "wall" && onSelect(),
        build: (id) => buildItem(wall.byId.get(id), { kind: "wall" }),
      }),
      ids: () => wall.ids.filter((id) => !hiddenLocally.has(id) && matches(wall.byId.get(id), "", state.filter)),
      version: (id) => wall.byId.get(id),
      post: (id) => wall.byId.get(id) || null,
      empty: $(CONSOLE_ID.wallEmpty),
      count: $(CONSOLE_ID.wallCount),
      total: () => wall.ids.length - hiddenLocally.size,
      last: [],
      auto: true,
    },
  };

  function render(name) {
    const list = lists[name];
    const ids = list.ids();
    list.view.render(ids, list.version);
    const selected = list.view.selected;
    if (name === "queue" && selectAfterLoad !== null && ids.includes(selectAfterLoad)) {
      list.view.select(selectAfterLoad, { scroll: name === state.active });
      selectAfterLoad = null;
    } else if (list.auto && ids.length > 0 && selected !== ids[0]) {
      list.view.select(ids[0], { scroll: false });
    } else if (selected === null || !ids.includes(selected)) {
      const next = selected === null ? (ids[0] ?? null) : nextAfter(list.last, selected, ids);
      list.view.select(next, { scroll: name === state.active });
    }
    list.last = ids;
    list.empty.hidden = ids.length > 0;
    list.count.textContent = String(Math.max(0, list.total()));
    if (name === "queue") onQueueSize(queue.size);
    afterRender(name);
  }

  function setActive(name, { focus = true } = {}) {
    state.active = name;
    for (const [key, list] of Object.entries(lists)) list.panel.classList.toggle(CONSOLE_CLASS.active, key === name);
    const list = lists[name];
    if (list.view.selected === null && list.last.length > 0) list.view.select(list.last[0]);
    if (focus) list.view.focus();
    onSelect();
  }

  function showOrder() {
    const b = $(CONSOLE_ID.sortToggle);
    b.setAttribute(CONSOLE_ATTR.order, queue.order);
    b.textContent = queue.order === "oldest" ? "Oldest first ↓" : "Newest first ↑";
  }

  for (const [name, list] of Object.entries(lists)) {
    list.box.addEventListener("click", (event) => {
      const id = list.view.idAt(event.target);
      if (id === null) return;
      if (state.active !== name) setActive(name, { focus: false });
      list.auto = false;
      list.view.select(id, { scroll: false });
      const button = event.target.closest(CONSOLE_SEL.actionButton);
      if (button) onAction(button.getAttribute(CONSOLE_ATTR.action), id);
      if (!event.target.closest(CONSOLE_SEL.keepsFocus)) list.view.focus();
    });
    list.box.addEventListener("focusin", () => {
      if (state.active !== name) setActive(name, { focus: false });
    });
  }

  const filter = $(CONSOLE_ID.filter);
  filter.addEventListener("input", () => {
    state.filter = filter.value;
    render("queue");
    render("wall");
  });
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") self.leaveField();
  });

  $(CONSOLE_ID.sortToggle).addEventListener("click", (event) => {
    queue.order = queue.order === "oldest" ? "newest" : "oldest";
    try {
      win.localStorage.setItem(ORDER_KEY, queue.order);
    } catch { /* private mode: the choice lasts for this page */ }
    showOrder();
    lists.queue.auto = true;
    render("queue");
    lists.queue.view.select(lists.queue.last[0] ?? null);
    event.currentTarget.blur();
  });

  const self = {
    render,
    setActive,
    /** The list the keys act on. */
    get active() {
      return state.active;
    },
    /** Return the selected post id of list `name` (the active one by default), or null. */
    selected(name = state.active) {
      return lists[name].view.selected;
    },
    /** Return the post `id` as list `name` shows it, or null. */
    post(name, id) {
      return id === null ? null : lists[name].post(id);
    },
    /** Move the selection `step` items in the active list; it no longer follows the top. */
    move(step) {
      const list = lists[state.active];
      list.auto = false;
      list.view.select(moveFrom(list.last, list.view.selected, step));
    },
    /** The moderator acted on list `name`: the selection stays where they put it. */
    manual(name) {
      lists[name].auto = false;
    },
    /** Take `id` out of the queue at once (a decision is on its way); return what restores it. */
    dropFromQueue(id) {
      const before = lists.queue.last;
      const removed = queue.remove(id);
      if (!removed) return null;
      render("queue");
      if (lists.queue.view.selected === null) lists.queue.view.select(nextAfter(before, id, lists.queue.last));
      return removed;
    },
    /** Put back what `dropFromQueue` took (the decision failed). */
    restoreToQueue(removed) {
      queue.restore(removed);
      render("queue");
    },
    /** Hide or show a wall post at once, before the stream says so. */
    hideOnWall(id, hidden = true) {
      if (hidden) hiddenLocally.add(id);
      else hiddenLocally.delete(id);
      render("wall");
    },
    /** Take every post in `ids` off both lists (a block hid them). */
    hideAll(ids) {
      for (const id of ids) {
        queue.remove(id);
        if (wall.has(id)) hiddenLocally.add(id);
      }
      render("queue");
      render("wall");
    },
    /** Select `id` in the queue as soon as it is there (now, or after the next load). */
    selectInQueue(id) {
      selectAfterLoad = id;
      setActive("queue");
      if (queue.has(id)) render("queue");
    },
    note(name, id, text) {
      lists[name].view.note(id, text);
    },
    busy(name, id, on) {
      lists[name].view.busy(id, on);
    },
    /** Give the keyboard back to the active list. */
    focus() {
      lists[state.active].view.focus();
    },
    /** Leave a field (Escape, Enter in the filter): the keys act on the list again. */
    leaveField() {
      doc.activeElement?.blur();
      self.focus();
    },
    focusFilter() {
      filter.focus();
      filter.select();
    },
    openOriginal() {
      const id = lists[state.active].view.selected;
      if (id !== null) lists[state.active].view.originalLink(id)?.click();
    },
    switchList() {
      setActive(state.active === "queue" ? "wall" : "queue");
    },
  };

  showOrder();
  setActive("queue");
  render("queue");
  render("wall");
  return self;
}
