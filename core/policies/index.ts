/**
 * East-west: the intent rendered into Kubernetes and Calico policy objects (namespace sets, peers,
 * infrastructure, the baseline, DNS), ADR 008's budgets, and the representative pods the proof runs on.
 * Imports core/common, core/calico, core/intent and core/firewall. Other rooms import this one through this index.
 */
export * from "./baselinePolicy";
export * from "./calicoRules";
export * from "./conventions";
export * from "./infrastructurePolicies";
export * from "./metadataGuardrail";
export * from "./namespacePolicies";
export * from "./peerPolicies";
export * from "./representativeWorkloads";
export * from "./segmentation";
export * from "./selfManagedPolicies";
