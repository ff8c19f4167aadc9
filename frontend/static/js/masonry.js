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
