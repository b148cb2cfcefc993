/**
 * Evidence from running clusters: denied-flow logs, firewall logs, cluster dumps (who owns an address, what
 * runs), the intent changes proposed from them (suggest) and the quarterly review's removals (review).
 * Imports core/common, core/intent and reach/. Other rooms import this one through this index.
 */
export * from "./clusterAddresses";
export * from "./deniedFlowLog";
export * from "./flowSuggestions";
export * from "./firewallLog";
export * from "./goldmaneFlowLog";
export * from "./logAnalyticsRows";
export * from "./review";
