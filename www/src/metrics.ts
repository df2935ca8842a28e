// Timings the page measures about itself (read by the end-to-end suite and shown in
// the status bar): first load until the engine is ready, last build click-to-end.

export const metrics: { engineReadyMs: number | null; lastBuildMs: number | null } = {
  engineReadyMs: null,
  lastBuildMs: null,
};
