// Hall screen entry: a bounded grid of cards, not clickable, warnings covered.
import { startPage } from "./page.js";

export const HALL_CAP = 40;
// Nobody reads faster than this from the back of a hall; in a burst, cards arrive in groups.
export const HALL_MIN_RENDER_INTERVAL_MS = 400;

globalThis.tweetwall = startPage({ hall: true, cap: HALL_CAP, minIntervalMs: HALL_MIN_RENDER_INTERVAL_MS });
