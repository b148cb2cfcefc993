/**
 * The segmentation intent: its schema, validation and model (namespaces, workloads, flows, peers,
 * infrastructure), and the warnings it earns.
 * Imports core/common, core/azure and core/calico. Other rooms import this one through this index.
 */
export * from "./addressNames";
export * from "./intentWarnings";
export * from "./segmentationIntent";
