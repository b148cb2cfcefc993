/**
 * Self-managed Calico on AKS, as Tigera's AKS guide installs it for Azure CNI ("Install AKS with Azure CNI for
 * networking and self-managed Calico for network policy", tigera/docs calico/getting-started/kubernetes/
 * managed-public-cloud/aks.mdx, read 2026-12-07): the Tigera operator and its CRDs (here from the pinned
 * tigera-operator Helm chart), then `Installation {kubernetesProvider: AKS, cni: {type: AzureVNET}}`, `APIServer`,
 * `Goldmane` and `Whisker`, all named `default`. The chart can render those four itself (charts/tigera-operator
 * templates/crs/custom-resources.yaml, gated by installation/apiServer/goldmane/whisker.enabled); they are turned
 * off there and created as resources of their own, so that the plan shows them and the Calico policies can wait on
 * the API server.
 *
 * Readiness: the operator reports an APIServer ready with `status.state: Ready` (tigera/operator
 * pkg/controller/apiserver sets TigeraStatusReady once its components are available, release-v1.38 to v1.44; up
 * to v1.40 the operator's own controllers read it back, pkg/controller/utils IsAPIServerReady); only then is projectcalico.org/v3 served: by the
 * aggregated Calico API server up to 3.32, or, on a new 3.33 cluster with native v3 CRDs, with the admission webhooks
 * that guard them running (calicoReleases.ts). `pulumi.com/waitFor` (pulumi-kubernetes 4.18+,
 * pulumi/pulumi-kubernetes#3134) makes `pulumi up` wait for that before it creates anything that depends on the
 * APIServer resource.
 *
 * CRDs: the chart installs them (3.30, 3.31: its crds/ directory), or the operator does from 3.32 (the chart's
 * default `manageCRDs: true` runs its `-bootstrap-crds` init container), so the operator.tigera.io kinds exist
 * before the four resources below, which depend on the Helm release. Tigera's 3.32 Helm guide applies the
 * `crd.projectcalico.org.v1` chart first by hand; the bootstrap does the same from inside the cluster.
 *
 * What else changes with Azure CNI (read 2026-12-07):
 * - IP addresses stay Azure's: with cni.type AzureVNET the IPAM is Azure's (the guide's geeky details: "IPAM:Azure,
 *   CNI:Azure"; the operator defaults cni.ipam.type to AzureVNET and BGP to Disabled for a non-Calico CNI,
 *   tigera/operator pkg/controller/installation core_controller.go), pods keep their overlay addresses, and no Calico
 *   IP pool decides them (pkg/controller/ippool defaults.go creates a default pool only with Calico IPAM).
 * - Overlay: Tigera's Calico Open Source guide shows Azure CNI without overlay; Tigera's Calico Enterprise AKS guide
 *   (calico-enterprise/latest/getting-started/install-on-clusters/aks) lists "Azure CNI with overlay networking with
 *   Calico Enterprise network policy" (Policy Calico, IPAM Azure, CNI Azure, Overlay Yes). Felix enforces on the
 *   pod's host interface either way; not verified on a cluster here (docs/calico-modes.md).
 * - Namespaces: tigera-operator (the chart), calico-system (Felix, Typha, kube-controllers, Goldmane, Whisker and,
 *   from 3.31, the API server), calico-apiserver (the API server up to 3.30). All are system namespaces.
 * - konnectivity: AKS's own `aaa-allow-konnectivity-agent` policy comes with AKS-managed Calico; konnectivity-agent
 *   runs in kube-system, which no policy of this project selects, in either mode.
 */
import { MANAGED_BY_LABELS, type KubeObject } from "./calicoApi";
import { TIGERA_OPERATOR_CHART, tigeraOperatorChartVersion, type CalicoRelease } from "./calicoReleases";

/** The Helm release of the operator: chart, pinned version, namespace and values. */
export interface TigeraOperatorChart {
    readonly repository: string;
    readonly chart: string;
    readonly version: string;
    readonly namespace: string;
    readonly values: Record<string, unknown>;
}

/** The annotation that makes `pulumi up` wait for the Calico API server. */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";
export const API_SERVER_READY = "jsonpath={.status.state}=Ready";

/** What installing self-managed Calico at a release takes. */
export interface TigeraOperatorInstall {
    readonly chart: TigeraOperatorChart;
    /** Installation, APIServer, Goldmane, Whisker (operator.tigera.io/v1), in that order. */
    readonly resources: readonly KubeObject[];
}

function operatorResource(kind: string, spec: Record<string, unknown> | undefined, annotations?: Record<string, string>): KubeObject {
    return {
        apiVersion: "operator.tigera.io/v1",
        kind,
        metadata: { name: "default", labels: { ...MANAGED_BY_LABELS }, ...(annotations ? { annotations } : {}) },
        ...(spec ? { spec } : {}),
    };
}

/** The operator chart and the four resources of Tigera's AKS guide for Azure CNI. */
export function tigeraOperatorInstall(release: CalicoRelease): TigeraOperatorInstall {
    return {
        chart: {
            repository: TIGERA_OPERATOR_CHART.repository,
            chart: TIGERA_OPERATOR_CHART.chart,
            version: tigeraOperatorChartVersion(release),
            namespace: TIGERA_OPERATOR_CHART.namespace,
            // The operator and its CRDs only: the four resources below are this stack's own.
            values: { installation: { enabled: false }, apiServer: { enabled: false }, goldmane: { enabled: false }, whisker: { enabled: false } },
        },
        resources: [
            operatorResource("Installation", { kubernetesProvider: "AKS", cni: { type: "AzureVNET" } }),
            operatorResource("APIServer", {}, { [WAIT_FOR_ANNOTATION]: API_SERVER_READY }),
            operatorResource("Goldmane", undefined),
            operatorResource("Whisker", undefined),
        ],
    };
}
