/**
 * What changes in Azure without Pulumi, and how the stack keeps a refreshed preview quiet.
 *
 * azure-native's refresh (provider `Read`, pulumi-azure-native provider/pkg/provider: "Calculate the difference between
 * two projections ... Apply this difference to the actual inputs") copies into the stored inputs every input-shaped
 * value Azure changed since the last update; an array element Azure added is copied as-is (`applyValueDiff`: "A new
 * element was added, copy as-is"). The next preview diffs those inputs against the program's. Read-only values such as
 * `currentKubernetesVersion`, `nodeImageVersion` or `provisioningState` are not inputs, so they never reach the diff.
 *
 * What Azure changes, and where it goes:
 * - autoscaled node counts (`agentPoolProfiles[0].count`, AgentPool `count`): the autoscaler owns them, listed in
 *   `ignoreChanges` below. `ignoreChanges` goes by index: it assumes Azure lists the system pool (created with the
 *   cluster) first, which we could not confirm in the API's documentation; the drift check compares pools by name and
 *   fails when the count a preview would send for the system pool is another pool's;
 * - pools added by AgentPool resources appear in the cluster's `agentPoolProfiles` (pulumi-azure-native #1298, #2059).
 *   Pulumi cannot ignore an array element that only one side has (PropertyPath.Reset "won't create or delete array
 *   locations"), and ignoring the whole array would freeze the system pool, whose `orchestratorVersion` must move with
 *   `kubernetesVersion`. So they are owned elsewhere: the drift check (offline/report/driftCheck.ts) matches the
 *   cluster's pools by name and leaves a pool to the AgentPool resource that declares it;
 * - tags or profiles added by Azure or Azure Policy (keys the program never sets: a policy's tag, the Defender profile,
 *   the kubelet identity): not drift of anything the program declares, so the drift check reports them as notes; a
 *   `pulumi up` does not send them (azure-native sends the program's inputs), and ARM replaces a tag map whole;
 * - the patch version: with the `patch` channel AKS raises patches itself, so the stack pins only `major.minor`
 *   (core/config). AKS may then report the running patch in `kubernetesVersion` and the pools' `orchestratorVersion`
 *   ("1.25" read back as "1.25.6" after an automatic upgrade: Azure/AKS#3573, #4127; terraform-provider-azurerm
 *   #26946), and a refresh copies it into the inputs. Sending `major.minor` back is no downgrade: ARM
 *   `kubernetesVersion` and `orchestratorVersion` (2025-09-01): "Updating the cluster with the same <major.minor> once
 *   it has been created (e.g. 1.14.x -> 1.14) will not trigger an upgrade". So the drift check reads a stored patch of
 *   the declared minor as a note (versionDrift below); another minor (AKS upgrades a cluster about to leave platform
 *   support by itself, auto-upgrade-cluster.md) is drift, since the next `pulumi up` would ask AKS for a downgrade.
 */

/** Inputs that hold a Kubernetes version, which AKS's auto-upgrade may rewrite (see above). */
export const KUBERNETES_VERSION_INPUTS: readonly string[] = ["kubernetesVersion", "orchestratorVersion"];

/** How a stored (refreshed) Kubernetes version stands against the declared one. */
export type VersionDrift =
    | { readonly kind: "same" }
    /** AKS wrote the running patch of the declared `major.minor`: a `pulumi up` sends `major.minor` back, which changes nothing. */
    | { readonly kind: "patch"; readonly running: string }
    /** Azure runs another version: a `pulumi up` would ask AKS to go from it to the declared one, a downgrade when it is higher. */
    | { readonly kind: "moved"; readonly running: string; readonly downgrade: boolean };

/** Compares a declared version with the one a refresh stored (each "major.minor" or "major.minor.patch"). */
export function versionDrift(declared: string, stored: string): VersionDrift {
    if (declared === stored) return { kind: "same" };
    const declaredParts = declared.split(".").map(Number);
    const storedParts = stored.split(".").map(Number);
    if (declaredParts.length === 2 && declaredParts[0] === storedParts[0] && declaredParts[1] === storedParts[1]) return { kind: "patch", running: stored };
    const order = [0, 1, 2].map((index) => (storedParts[index] ?? 0) - (declaredParts[index] ?? 0)).find((difference) => difference !== 0) ?? 0;
    return { kind: "moved", running: stored, downgrade: order > 0 };
}
/** A property path the engine keeps at its stored value, and why. */
export interface IgnoredChange {
    readonly path: string;
    readonly reason: string;
}

/** `ignoreChanges` of the ManagedCluster. */
export const MANAGED_CLUSTER_IGNORED_CHANGES: readonly IgnoredChange[] = [
    { path: "agentPoolProfiles[0].count", reason: "the cluster autoscaler sets the system pool's node count between minCount and maxCount" },
];

/** `ignoreChanges` of every AgentPool. */
export const AGENT_POOL_IGNORED_CHANGES: readonly IgnoredChange[] = [
    { path: "count", reason: "the cluster autoscaler sets the pool's node count between minCount and maxCount" },
];
