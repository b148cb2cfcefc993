/**
 * Azure and AKS facts as data, each with its source and the day it was read: the version calendar, planned maintenance, regions, VM
 * sizes, monitoring tables, NSG rules, platform addresses (IMDS, WireServer), the deployer's identity, API access.
 * Imports core/common only. Other rooms import this one through this index.
 */
export * from "./aksVersions";
export * from "./apiAccess";
export * from "./azureRegions";
export * from "./deployerIdentity";
export * from "./hostNetworkPolicy";
export * from "./monitoring";
export * from "./nodeSubnetSecurity";
export * from "./plannedMaintenance";
export * from "./platformAddresses";
export * from "./refreshDrift";
export * from "./vmSizes";
