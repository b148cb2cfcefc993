/**
 * What a plan shows: the resource report, the security report (firewall, policies, intent check), the cluster's
 * lifecycle (version support, maintenance windows, placeholders), the judge of a refreshed preview (drift), the security
 * diff of two plans and its connection graph.
 * Imports offline/runtime, core/ and reach/. Other rooms import this one through this index.
 */
export * from "./connectionGraph";
export * from "./driftCheck";
export * from "./kubernetesUpgrade";
export * from "./lifecycleReport";
export * from "./planReport";
export * from "./securityDiff";
export * from "./securityReport";
