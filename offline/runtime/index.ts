/**
 * Running the real program without a cloud: Pulumi's runtime mocks, the manifests it would apply, stack files,
 * and the policy pack in-process.
 * Imports core/, reach/, components/ and policy-pack/. Other rooms import this one through this index.
 */
export * from "./manifests";
export * from "./mockRuntime";
export * from "./policyCheck";
export * from "./policyConfig";
export * from "./projectDir";
export * from "./stackFile";
