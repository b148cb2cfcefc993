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
 *   cluster) first, which we could not confirm in the API's documentation; the drift check compares pools by name;
 * - pools added by AgentPool resources appear in the cluster's `agentPoolProfiles` (pulumi-azure-native #1298, #2059).
 *   Pulumi cannot ignore an array element that only one side has (PropertyPath.Reset "won't create or delete array
 *   locations"), and ignoring the whole array would freeze the system pool, whose `orchestratorVersion` must move with
 *   `kubernetesVersion`. So they are owned elsewhere: the drift check (offline/report/driftCheck.ts) matches the
 *   cluster's pools by name and leaves a pool to the AgentPool resource that declares it;
 * - tags or profiles added by Azure or Azure Policy (keys the program never sets): a PUT leaves profiles it does not
 *   name as they are, so the drift check reports them as notes;
 * - the patch version: with the `patch` channel AKS raises patches itself, so the stack pins only `major.minor`
 *   (core/config), which AKS keeps as written (ARM `kubernetesVersion`: "Updating the cluster with the same
 *   <major.minor> once it has been created ... will not trigger an upgrade").
 */

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
