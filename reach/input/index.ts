/**
 * Reading what the engine analyses: manifests with their source locations, the Kubernetes and Calico policy
 * schemas, labels, the Calico selector language, and pods' workload identities.
 * Imports nothing from the project. Other rooms import this one through this index.
 */
export * from "./errors";
export * from "./labels";
export * from "./load";
export * from "./schema";
export * from "./selector";
export * from "./staged";
export * from "./workloads";
