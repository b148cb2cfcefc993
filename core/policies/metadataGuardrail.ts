import { calicoGlobalNetworkPolicy, CalicoPolicySpec, KubeObject, ORDER_GUARDRAILS } from "../calico";
import { PLATFORM_ENDPOINTS } from "../azure";
import type { SegmentationIntent } from "../intent";
import { nonSystemNamespaceSelector } from "./calicoRules";

/** The GlobalNetworkPolicy that keeps every pod outside the system namespaces away from IMDS and WireServer. */
export const PLATFORM_ENDPOINTS_GUARDRAIL_POLICY = "deny-platform-endpoints";

/**
 * The ADR's breach path, closed in every mode: egress from every pod outside the system namespaces (app namespaces,
 * peers, infrastructure, undeclared ones) to the instance metadata service and WireServer (core/azure/platformAddresses.ts)
 * is logged, then denied. It is not mode-dependent: audit mode lets undeclared traffic through at `log-denied` and
 * the baseline, so this policy orders before everything that can allow (ORDER_GUARDRAILS, core/calico/calicoApi.ts),
 * and overrides must order after it (validateIntent).
 *
 * What it leaves alone, on purpose: the system namespaces (AKS's own agents, some host-networked, talk to both);
 * the LocalDNS listeners 169.254.10.10/11 and everything else the stack allows, which are other addresses; and the
 * load balancer's health probes, which arrive as INGRESS from 168.63.129.16: the replies to an accepted probe are
 * conntrack-established, and Felix accepts established traffic before any policy (felix/rules/endpoints.go), so an
 * egress deny never cuts them. Host-networked pods have no workload endpoint and escape it; Pod Security Admission
 * (podSecurityLabels) and the Azure Policy host-network assignment keep them out.
 *
 * The spec is plain data so that another Calico API can render it (a v3 policy in a tier of its own). In the
 * default tier, the baseline decides everything this spec does not; in a tier of its own, that tier must pass the
 * rest on (a final `Pass`, or the tier's `defaultAction: Pass`), or Calico drops it at the tier's end.
 */
export function metadataGuardrailSpec(intent: SegmentationIntent): CalicoPolicySpec {
    const destination = { nets: [...PLATFORM_ENDPOINTS] };
    return {
        order: ORDER_GUARDRAILS,
        namespaceSelector: nonSystemNamespaceSelector(intent),
        selector: "all()",
        types: ["Egress"],
        egress: [{ action: "Log", destination }, { action: "Deny", destination }],
    };
}

/** The guardrail as AKS-managed Calico takes it: a crd.projectcalico.org/v1 GlobalNetworkPolicy in the default tier. */
export function renderMetadataGuardrail(intent: SegmentationIntent): KubeObject {
    return calicoGlobalNetworkPolicy(PLATFORM_ENDPOINTS_GUARDRAIL_POLICY, metadataGuardrailSpec(intent));
}
