/**
 * Evidence from running clusters: denied-flow logs, cluster dumps (who owns an address), and the intent
 * changes proposed from them.
 * Imports core/common, core/intent and reach/. Other rooms import this one through this index.
 */
export * from "./clusterAddresses";
export * from "./deniedFlowLog";
export * from "./flowSuggestions";
export * from "./goldmaneFlowLog";
