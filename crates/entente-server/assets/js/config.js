// What the page assumes about the scenario it opens on. The flagship's framing
// lives here and nowhere else, so replacing it with the run's own fields
// (summary.json's scenario framing, issue 18) is one edit.

/** The scenario the start page prefers. */
export const FLAGSHIP = 'nato-ip4';
/** The reference state of "with China" (COW code) and the default selection. */
export const CHINA = 710;

// Option colours (the same palette as the static report's charts).
export const OPTION_COLORS = ['#4c72b0', '#dd8452', '#55a868', '#c44e52', '#8172b3', '#937860', '#da8bc3', '#8c8c8c'];
export const NO_DATA = '#c3c8cf';
export const NOT_ACTOR = '#e6e8eb';

export function optionColour(oi) {
  return OPTION_COLORS[oi % OPTION_COLORS.length];
}
