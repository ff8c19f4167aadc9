// Pure placement for the hall screen's grid: which cards fit on one screen, where, and how many
// lines of text a card at the bottom of a column keeps.

/**
 * Place `items` (newest first; each `{height, lines, lineHeight, minLines}`, the last three
 * optional) into `columns` columns of a `height`-tall area. Each card goes into the currently
 * shortest column (leftmost on ties), so the newest posts sit along the top. A card that does
 * not fit whole may keep fewer text lines (never under `minLines`; the page shows an ellipsis)
 * to fill the bottom of a column; one that fits nowhere is left out, and older cards after it
 * may still fill the gaps. Return one `{column, y, height, lines}` or null per item, where
 * `lines` is null when the card keeps all its text.
 */
export function placeCards(items, { columns, height, gap }) {
  const bottoms = new Array(columns).fill(0);
  const placed = [];
  for (const item of items) {
    const h = typeof item === "number" ? item : item.height;
    let best = 0;
    for (let c = 1; c < columns; c += 1) if (bottoms[c] < bottoms[best] - 0.5) best = c;
    const y = bottoms[best] === 0 ? 0 : bottoms[best] + gap;
    const room = height - y;
    let place = null;
    if (h <= room + 0.5) {
      place = { column: best, y, height: h, lines: null };
    } else if (typeof item === "object" && item.lines > 0 && item.lineHeight > 0) {
      const keep = item.lines - Math.ceil((h - room) / item.lineHeight);
      if (keep >= (item.minLines || 3) && keep < item.lines) {
        place = { column: best, y, height: h - (item.lines - keep) * item.lineHeight, lines: keep };
      }
    }
    placed.push(place);
    if (place !== null) bottoms[best] = y + place.height;
  }
  return placed;
}

/**
 * Choose where a new card goes on a grid whose cards stay put (docs/frontend.md, "Pace").
 * `slots` are the shown cards `{id, column, y, height, since, pinned}`; `card` is the new
 * card's `{height, minHeight}` (its natural height, and the least it can be cut to). A free
 * stretch of a column (under the last card, or a hole a hidden post left) is used first; else
 * the card takes the place of the card shown longest among those shown for `dwellMs` at least
 * (never a pinned one), preferring a place the new card fits in whole. Return
 * `{column, y, height, replaces}` (`replaces`: the id it takes the place of, or null), or
 * `{wait}` (ms until a card may be replaced), or null when no place will ever come.
 * A place's height is the card's own, or the whole stretch when what would be left is under
 * `minFree` (nothing could use it).
 */
export function chooseSlot(slots, card, { columns, height, gap, now, dwellMs, minFree = 0 }) {
  const byColumn = Array.from({ length: columns }, () => []);
  for (const s of slots) if (s.column >= 0 && s.column < columns) byColumn[s.column].push(s);
  for (const list of byColumn) list.sort((a, b) => a.y - b.y);
  const fit = (room) => {
    if (card.height <= room + 0.5) return room - card.height - gap < minFree ? room : card.height;
    return room >= card.minHeight - 0.5 ? room : null;
  };
  // Free stretches: between cards and under the last one.
  let best = null;
  byColumn.forEach((list, column) => {
    let top = 0;
    for (let i = 0; i <= list.length; i += 1) {
      const end = i < list.length ? list[i].y - gap : height;
      const room = end - top;
      const h = room > 0 ? fit(room) : null;
      if (h !== null) {
        const whole = card.height <= room + 0.5;
        const score = (whole ? 0 : 1e6) + top + column;
        if (best === null || score < best.score) best = { column, y: top, height: h, replaces: null, score };
      }
      if (i < list.length) top = list[i].y + list[i].height + gap;
    }
  });
  if (best !== null) return { column: best.column, y: best.y, height: best.height, replaces: null };
  // Else the place of the card shown longest, once it has been shown long enough.
  let soonest = Infinity;
  let fallback = null;
  byColumn.forEach((list, column) => {
    list.forEach((s, i) => {
      if (s.pinned) return;
      const ready = s.since + dwellMs - now;
      if (ready > 0) {
        soonest = Math.min(soonest, ready);
        return;
      }
      const room = (i + 1 < list.length ? list[i + 1].y - gap : height) - s.y;
      const h = fit(room);
      if (h === null) {
        if (fallback === null || room > fallback.height) fallback = { column, y: s.y, height: room, replaces: s.id };
        return;
      }
      // Shown longest first; a place that cuts the new card counts as shown 20 s less per
      // whole card height cut, so a better fit wins among cards up for about as long.
      const cut = Math.max(0, card.height - h) / Math.max(1, card.height);
      const score = s.since + cut * 20000;
      if (best === null || score < best.score) best = { column, y: s.y, height: h, replaces: s.id, score };
    });
  });
  if (best !== null) return { column: best.column, y: best.y, height: best.height, replaces: best.replaces };
  if (fallback !== null) return fallback;
  return Number.isFinite(soonest) ? { wait: soonest } : null;
}
