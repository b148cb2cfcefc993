/**
 * The Calico API as the cluster sees it: object builders, the CRD schemas per Calico version, the validator's
 * rules, and the system namespaces zero trust leaves alone.
 * Imports core/common and reach/ (the selector parser). Other rooms import this one through this index.
 */
export * from "./calicoApi";
export * from "./calicoCrdSchemas";
export * from "./calicoReleases";
export * from "./tigeraOperator";
export * from "./calicoValidation";
export * from "./calicoV3Validation";
export * from "./systemNamespaces";
