/**
 * Azure Policy's built-in "Kubernetes cluster pods should only use approved host network and port list" (formerly
 * "... approved host network and port range"): Gatekeeper, run by the AKS Azure Policy add-on, refuses pods with
 * `hostNetwork: true` or host ports. Source: Azure/azure-policy,
 * built-in-policies/policyDefinitions/Kubernetes/HostNetworkPorts.json (version 7.0.0, read 2026-12-07): parameters
 * `effect` (Audit, Deny, Disabled), `excludedNamespaces` ("kube-system", "gatekeeper-system" and "azure-arc" are
 * always excluded by design), `allowHostNetwork` (default false), `allowedHostPorts` (default [], none).
 *
 * Why: a host-networked pod has no Calico workload endpoint (libcalico-go conversion.go) and AKS has no host
 * endpoints, so no policy holds it, the platform-address guardrail included. Pod Security Admission keeps it out of
 * the namespaces the stack declares; this assignment covers every other namespace, undeclared ones included.
 */
export const HOST_NETWORK_POLICY_DEFINITION_ID = "/providers/Microsoft.Authorization/policyDefinitions/82985f06-dc18-4a48-bc1c-b9f4f0098cfe";
/** The major version whose parameters the assignment sets (`allowedHostPorts` replaced min/maxPort in 7.0.0). */
export const HOST_NETWORK_POLICY_DEFINITION_VERSION = "7.*.*";

/** An Azure Policy assignment as plain data, in azure-native PolicyAssignment's shape (scope added by the component). */
export interface PolicyAssignmentPlan {
    readonly policyAssignmentName: string;
    readonly displayName: string;
    readonly policyDefinitionId: string;
    readonly definitionVersion: string;
    readonly enforcementMode: "Default";
    readonly parameters: Readonly<Record<string, { readonly value: unknown }>>;
}

/**
 * Denies host-networked pods and host ports everywhere but the cluster's system namespaces (sorted); none without the
 * Azure Policy add-on, whose Gatekeeper is what enforces an assignment inside the cluster.
 */
export function hostNetworkPolicyAssignment(azurePolicyAddon: boolean, excludedNamespaces: readonly string[]): PolicyAssignmentPlan | undefined {
    if (!azurePolicyAddon) return undefined;
    return {
        policyAssignmentName: "aks-no-host-network",
        displayName: "Kubernetes pods must not use the host network or host ports (aks-zero-trust)",
        policyDefinitionId: HOST_NETWORK_POLICY_DEFINITION_ID,
        definitionVersion: HOST_NETWORK_POLICY_DEFINITION_VERSION,
        // Deny in every mode: audit mode is about east-west flows, and a host-networked pod escapes them all.
        enforcementMode: "Default",
        parameters: {
            effect: { value: "Deny" },
            excludedNamespaces: { value: [...excludedNamespaces].sort() },
            allowHostNetwork: { value: false },
        },
    };
}

/**
 * What is open without the add-on: Pod Security labels keep host-networked pods out of the namespaces the stack
 * declares, but nothing keeps them out of any other namespace, and such a pod bypasses every Calico policy, the
 * platform-address guardrail included (no workload endpoint, see above).
 */
export function hostNetworkWarnings(azurePolicyAddon: boolean, segmented: boolean): string[] {
    if (azurePolicyAddon || !segmented) return [];
    return [
        "aks-zero-trust:cluster.azurePolicyAddon is off: nothing keeps host-networked pods out of namespaces the stack does not " +
            "declare (Pod Security labels cover the declared ones), and such a pod bypasses every Calico policy, IMDS guardrail " +
            "included; turn the add-on on to get the host-network deny assignment",
    ];
}
