/**
 * North-south: the Azure Firewall's rule collection groups, and the FQDN and CIDR allowances the intent
 * implies.
 * Imports core/common, core/config and core/intent. Other rooms import this one through this index.
 */
export * from "./firewallAllowances";
export * from "./firewallRules";
export * from "./allowancePlacements";
