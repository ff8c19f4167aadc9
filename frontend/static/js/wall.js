// Hall screen entry: a bounded grid of cards, not clickable, warnings covered.
import { startPage } from "./page.js";

export const HALL_CAP = 40;

globalThis.tweetwall = startPage({ hall: true, cap: HALL_CAP });
