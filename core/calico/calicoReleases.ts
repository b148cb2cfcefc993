/**
 * Calico releases a self-managed stack may pin (`cluster.calico.version`), as data. Read 2026-12-07.
 *
 * - Kubernetes versions: "We test Calico <version> against the following Kubernetes versions" in Tigera's system
 *   requirements (tigera/docs calico_versioned_docs/version-<minor>/_includes/partials/_system-requirements.mdx):
 *   3.30: 1.31-1.35; 3.31: 1.32-1.35 (both widened by tigera/docs f81996f "Add k8s versions to OSS 3.30 and 3.31",
 *   Jan 2026; re-read at tigera/docs f2a2762, Aug 2026); 3.32: 1.34-1.36 (f2a2762); 3.33: 1.35-1.37 (docs.tigera.io
 *   "latest", not in that snapshot, whose unreleased `calico/` tree still lists 1.32-1.34). Tigera: "Other versions
 *   may work, but we are not actively testing them".
 * - Patch releases, the newest of each minor: v3.30.7 (tag of 18 Mar 2026; the first entry of tigera/docs
 *   version-3.30 releases.json, tigera-operator v1.38.13) and v3.31.7 (tag of 20 Aug 2026; operator v1.40.15), both
 *   read in projectcalico/calico at 87c1590 (22 Aug 2026); v3.32.2 (30 Aug 2026) and v3.33.1 (16 Nov 2026) from the
 *   projectcalico/calico GitHub releases, after that snapshot (it holds v3.32.1 and the release-v3.33 branch). The
 *   Helm chart is `tigera-operator` in https://docs.tigera.io/calico/charts, versioned as the Calico release with a
 *   `v` (Tigera "Install using Helm": `helm install calico projectcalico/tigera-operator --version v3.30.7`).
 * - Only 3.30 and later: staged policies in Calico Open Source and the Goldmane/Whisker operator resources arrived
 *   with 3.30 (Tigera's AKS guide installs Goldmane and Whisker from that release on). Tier `defaultAction`
 *   (api/pkg/apis/projectcalico/v3/tier.go, "[Default: Deny]", enum Pass;Deny) is older: it is already in v3.29.0.
 * - The Calico API server runs in calico-apiserver up to 3.30 and in calico-system from 3.31 (tigera/operator#3960,
 *   tigera/docs#2153: "the apiserver component ... moved from the calico-apiserver namespace to the calico-system
 *   namespace").
 * - Who serves projectcalico.org/v3: up to 3.32, the Calico API server (an aggregated API over the
 *   crd.projectcalico.org/v1 CRDs). 3.33's operator (tigera/operator release-v1.44 pkg/apis/version.go useV3CRDs;
 *   tigera/docs e93adea "Document v3 CRD mode as the default for new installs") installs a new cluster with native
 *   projectcalico.org/v3 CRDs when the cluster serves MutatingAdmissionPolicy and no crd.projectcalico.org CRDs
 *   exist; the APIServer resource then runs Calico's admission webhooks instead of an API server, and still reports
 *   `status.state: Ready` (pkg/controller/apiserver), so the stack's wait holds in both.
 * - The chart's CRDs: 3.30 and 3.31 carry them in the chart's crds/; from 3.32 the chart carries none
 *   (charts/tigera-operator/README.md: "As of Calico v3.32, CRDs are no longer bundled in this chart") and the
 *   operator installs them itself: the chart's `manageCRDs: true` (its default) runs the operator's
 *   `-bootstrap-crds` init container (templates/tigera-operator/02-tigera-operator.yaml; tigera/operator cmd/main.go,
 *   pkg/imports/crds Ensure: the operator.tigera.io and Calico CRDs), so the pinned chart alone is enough.
 */
/** One Calico release a stack can pin. */
export interface CalicoRelease {
    /** Calico version, e.g. "3.33.1". */
    readonly version: string;
    /** Kubernetes minor versions Tigera tests this release against. */
    readonly kubernetes: readonly string[];
}

/** The releases, oldest first. */
export const CALICO_RELEASES: readonly CalicoRelease[] = [
    { version: "3.30.7", kubernetes: ["1.31", "1.32", "1.33", "1.34", "1.35"] },
    { version: "3.31.7", kubernetes: ["1.32", "1.33", "1.34", "1.35"] },
    { version: "3.32.2", kubernetes: ["1.34", "1.35", "1.36"] },
    { version: "3.33.1", kubernetes: ["1.35", "1.36", "1.37"] },
];

/** When the list above was read. */
export const CALICO_RELEASES_READ_ON = "2026-12-07";

/** Where the tigera-operator chart is served (Tigera, "Install using Helm"). */
export const TIGERA_OPERATOR_CHART = { repository: "https://docs.tigera.io/calico/charts", chart: "tigera-operator", namespace: "tigera-operator" } as const;

/** The release of a pinned version, undefined when it is not in the list. */
export function calicoRelease(version: string): CalicoRelease | undefined {
    return CALICO_RELEASES.find((release) => release.version === version);
}

/** The chart version that installs a Calico release: the release with a `v` ("v3.33.1"). */
export function tigeraOperatorChartVersion(release: CalicoRelease): string {
    return `v${release.version}`;
}

/** The Kubernetes minor of a version such as "1.36" or "1.36.2". */
function kubernetesMinor(version: string): string {
    return version.split(".").slice(0, 2).join(".");
}

/**
 * A warning when Tigera does not test the pinned release against the cluster's Kubernetes minor; undefined when it
 * does. Not an error: Tigera says other versions may work.
 */
export function calicoCompatibilityWarning(release: CalicoRelease, kubernetesVersion: string): string | undefined {
    const minor = kubernetesMinor(kubernetesVersion);
    if (release.kubernetes.includes(minor)) return undefined;
    const tested = CALICO_RELEASES.filter((candidate) => candidate.kubernetes.includes(minor)).map((candidate) => candidate.version);
    return `Calico ${release.version} is tested by Tigera against Kubernetes ${release.kubernetes.join(", ")}, not ${minor} (system requirements, read ${CALICO_RELEASES_READ_ON})${tested.length > 0 ? `; releases tested against ${minor}: ${tested.join(", ")}` : ""}`;
}
