// Public API of @course/viz: d3 charts that only read a trace, the snapshot model behind them, and the player.

export { ClusterRenderer, clusterView, type ClusterOptions, type ClusterFrame } from "./cluster.js";
export { SpaceTimeRenderer, spaceTime, type SpaceTimeOptions } from "./spacetime.js";
export { logGrid, traceHasLogs, type LogGridOptions } from "./log-grid.js";
export { acceptorTable, traceHasAcceptors, type AcceptorTableOptions } from "./acceptors.js";
export { timelineBand, leaderSegments, type TimelineOptions } from "./timeline.js";
export { configGrid, configOf, traceHasMembership } from "./config-view.js";
export { clientList, kvTable, traceHasClients, traceHasKv } from "./kv-view.js";
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
export { TraceIndex, type MessageRecord } from "./trace-index.js";
export { Pace } from "./pace.js";
export { Narration } from "./narration.js";
export { outcomeText, READER_CONTROL_CLIENT } from "./outcome.js";
export { messageFields, messageMeaning, stateFields } from "./words.js";
export { roleColor, termColor, typeColor, nodeName, contrast, textOn } from "./palette.js";
export * as views from "./views.js";
export { replayTo, forkWith, withReaderControls, droppedByFork, describeReaderActions, type ReaderAction, type ReaderFault, type Forked } from "./fork.js";
export { createPlayer, type Player, type PlayerOptions, type PlayerScenario, type RecordedRun, type PlayerExtra, type ExtraContext } from "./player.js";
export { readUrlState, writeUrlState, encodeFaults, decodeFaults, type PlayerUrlState } from "./url-state.js";
export { historyChart, HISTORY_COLORS, type HistoryChartOptions, type ChartOperation, type ChartResult } from "./history.js";
