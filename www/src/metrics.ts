// Timings the page measures about itself (read by the end-to-end suite and shown in
// the status bar): first load until the engine is ready, last build click-to-end.

export const metrics: { engineReadyMs: number | null; lastBuildMs: number | null; clickToFinishedMs: number | null; clickAt: number | null } = {
  engineReadyMs: null,
  /** performance.now() of the last click on Build. */
  clickAt: null,
  /** Click to the build's result arriving from the worker. */
  lastBuildMs: null,
  /** Click to the `… FINISHED` header in the log (the DOM updated). */
  clickToFinishedMs: null,
};
