// The page assumes nothing of the scenario it opens on: the default scenario
// comes from /api/scenarios (`default`), the sides and the states to show from
// the run's summary.json (`framing`).

// Option colours (the same palette as the static report's charts).
export const OPTION_COLORS = ['#4c72b0', '#dd8452', '#55a868', '#c44e52', '#8172b3', '#937860', '#da8bc3', '#8c8c8c'];
export const NO_DATA = '#c3c8cf';
export const NOT_ACTOR = '#e6e8eb';

export function optionColour(oi) {
  return OPTION_COLORS[oi % OPTION_COLORS.length];
}
