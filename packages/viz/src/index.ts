// Public API of @course/viz: d3 charts that only read a trace, the snapshot model behind them, and the player.

export { clusterView, type ClusterOptions } from "./cluster.js";
export { spaceTime, type SpaceTimeOptions } from "./spacetime.js";
export { logGrid, traceHasLogs, type LogGridOptions } from "./log-grid.js";
export { acceptorTable, traceHasAcceptors, type AcceptorTableOptions } from "./acceptors.js";
export { timelineBand, leaderSegments, type TimelineOptions } from "./timeline.js";
export {
  snapshotAt,
  SnapshotCursor,
  nodesOf,
  lastStep,
  eventsThrough,
  stepAtTime,
  downPeriods,
  networkFaultPeriods,
  labelledNotes,
  type ClusterSnapshot,
  type NodeSnapshot,
  type FlightMessage,
} from "./model.js";
export { roleColor, termColor, typeColor, nodeName } from "./palette.js";
export * as views from "./views.js";
export { replayTo } from "./fork.js";
export { historyChart, HISTORY_COLORS, type HistoryChartOptions, type ChartOperation, type ChartResult } from "./history.js";
export { createPlayer, type Player, type PlayerOptions, type PlayerScenario, type RecordedRun } from "./player.js";
export { readUrlState, writeUrlState, encodeFaults, decodeFaults, type PlayerUrlState, type ReaderFault } from "./url-state.js";
