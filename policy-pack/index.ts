// The policy pack's entry point: `pulumi preview --policy-pack policy-pack` runs this file. Constructing the
// PolicyPack starts the gRPC server the CLI talks to, so nothing else may construct it (tests import ./policies).
import { PolicyPack } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT_LEVEL, POLICY_PACK_NAME, createPolicies, stackEnvironmentFrom } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
    description: "aks-zero-trust guarantees (ADR 008): AKS networking and API access, Azure Firewall egress, namespace isolation and tier reachability.",
    enforcementLevel: DEFAULT_ENFORCEMENT_LEVEL,
    // The CLI starts the pack with the stack's name and config in its environment.
    policies: createPolicies({ stackEnvironment: stackEnvironmentFrom(process.env) }),
});
