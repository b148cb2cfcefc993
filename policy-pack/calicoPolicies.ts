/**
 * Which Calico runs the cluster, and which Calico API the stack's objects are written for, checked stack-wide.
 * AKS-managed Calico (`networkPolicy: calico`) serves only the internal crd.projectcalico.org/v1 CRDs; there is no
 * Calico API server, so projectcalico.org/v3 objects cannot be created. Self-managed Calico (`networkPolicy: none`
 * plus the Tigera operator, Tigera's AKS guide) serves projectcalico.org/v3, and the stack writes nothing on the
 * internal v1 API: Calico documents it as internal, without validation or defaulting (Azure/AKS#4038).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isAzureType } from "./azurePolicies";
import { kubernetesTypeOf } from "./kubernetesObjects";
import { UNKNOWN, at, knownProps, sameText, shown } from "./values";

export const CALICO_MODE = "calico-mode";

const HELM_RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/** The Tigera operator's resources of a self-managed install: Installation for AKS with Azure CNI, and the API server. */
function selfManagedCalico(resources: readonly PolicyResource[]): { operator: boolean; installation: unknown; apiServer: boolean } {
    const operator = resources.some((resource) => resource.type === HELM_RELEASE_TYPE && at(knownProps(resource.props), "chart") === "tigera-operator");
    const installation = resources.find((resource) => resource.type === "kubernetes:operator.tigera.io/v1:Installation");
    const apiServer = resources.some((resource) => resource.type === "kubernetes:operator.tigera.io/v1:APIServer");
    return { operator, installation: installation ? at(knownProps(installation.props), "spec") : undefined, apiServer };
}

/** A cluster without an AKS policy engine runs self-managed Calico; its objects use the API that mode serves. */
export function calicoModePolicy(): StackValidationPolicy {
    return {
        name: CALICO_MODE,
        description: "A cluster with networkPolicy none runs self-managed Calico (Tigera operator, Installation AKS/AzureVNET, APIServer), and the stack's Calico objects use the API its mode serves: projectcalico.org/v3 when self-managed, never the internal crd.projectcalico.org/v1; crd.projectcalico.org/v1 when AKS-managed, where v3 is not served.",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Set stack config cluster.calico.mode (aks-managed or self-managed, with cluster.calico.version) and let the stack render the policies for that mode; see docs/calico-modes.md.",
        validateStack: (args, reportViolation) => {
            const clusters = args.resources.filter((resource) => isAzureType(resource.type, "containerservice", "ManagedCluster"));
            const withoutEngine = clusters.filter((cluster) => {
                const engine = at(knownProps(cluster.props), "networkProfile", "networkPolicy");
                return engine !== UNKNOWN && (engine === undefined || sameText(engine, "none"));
            });
            const installed = selfManagedCalico(args.resources);
            const selfManaged = installed.operator;
            for (const cluster of withoutEngine) {
                if (!installed.operator || !installed.apiServer) {
                    reportViolation(`networkProfile.networkPolicy is ${shown(at(knownProps(cluster.props), "networkProfile", "networkPolicy"))} and the stack installs no self-managed Calico (the tigera-operator chart and an APIServer): no engine enforces the namespace policy sets. Set cluster.calico.mode to self-managed with a pinned cluster.calico.version, or networkProfile.networkPolicy to "calico".`, cluster.urn);
                    continue;
                }
                const provider = at(installed.installation, "kubernetesProvider");
                const cni = at(installed.installation, "cni", "type");
                if ((provider !== UNKNOWN && provider !== "AKS") || (cni !== UNKNOWN && cni !== "AzureVNET")) {
                    reportViolation(`the Calico Installation has kubernetesProvider ${shown(provider)} and cni.type ${shown(cni)}, expected AKS and AzureVNET: on AKS with Azure CNI, Calico enforces policy only (Tigera's AKS guide).`, cluster.urn);
                }
            }
            for (const resource of args.resources) {
                const parsed = kubernetesTypeOf(resource.type);
                if (!parsed) continue;
                if (selfManaged && parsed.apiVersion.startsWith("crd.projectcalico.org/")) {
                    reportViolation(`${parsed.kind} ${resource.name} is written on the internal crd.projectcalico.org/v1 API while self-managed Calico serves projectcalico.org/v3: v1 objects skip the API server's validation and defaulting, and Calico does not promise to keep honouring them. Write it as projectcalico.org/v3.`, resource.urn);
                }
                if (!selfManaged && parsed.apiVersion.startsWith("projectcalico.org/")) {
                    reportViolation(`${parsed.kind} ${resource.name} is written on projectcalico.org/v3, which AKS-managed Calico does not serve (it runs no Calico API server): the apply would fail. Set cluster.calico.mode to self-managed, or write it as crd.projectcalico.org/v1.`, resource.urn);
                }
            }
        },
    };
}
