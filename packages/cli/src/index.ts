// Public API of @course/cli: what other workspaces' scripts reuse.

export { NO_TELEMETRY, runWithoutTelemetry } from "./no-telemetry.js";
