/**
 * Calico staged policies (projectcalico.org/v3 StagedNetworkPolicy, StagedGlobalNetworkPolicy,
 * StagedKubernetesNetworkPolicy): a preview of a policy change. Felix does not enforce them; it evaluates them beside
 * the enforced policies and reports the outcome as the flow's pending policy trace (goldmane/proto/api.proto
 * PolicyTrace.pending_policies: "the expected policy rules traversed by this Flow when including staged policies").
 *
 * What "including staged policies" means comes from the API types (api/pkg/apis/projectcalico/v3, read 2026-12-07):
 * a staged policy is the enforced policy it would become plus a `stagedAction` (default `Set`):
 * - `Set`: the policy of the same kind, namespace and name as it would be after `kubectl apply` of the converted
 *   object (ConvertStagedPolicyToEnforced / ConvertStagedGlobalPolicyToEnforced /
 *   ConvertStagedKubernetesPolicyToK8SEnforced copy metadata and spec); it replaces an enforced policy of that name;
 * - `Delete`: the enforced policy of that kind, namespace and name is gone;
 * - `Learn`, `Ignore`: no change to enforcement (Calico Enterprise's policy recommendation states).
 * The as-is view skips staged objects (the model lists them); enforceStagedPolicies gives the as-enforced view.
 */
import { fieldError, type SourceLocation } from "./errors";
import type { ManifestObject } from "./load";

/** The staged kinds and the enforced kind (apiVersion, kind) each becomes. */
export const STAGED_KINDS: Readonly<Record<string, { readonly apiVersion: string; readonly kind: string }>> = {
    StagedNetworkPolicy: { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy" },
    StagedGlobalNetworkPolicy: { apiVersion: "projectcalico.org/v3", kind: "GlobalNetworkPolicy" },
    StagedKubernetesNetworkPolicy: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
};

const STAGED_ACTIONS = ["Set", "Delete", "Learn", "Ignore"];

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Whether an object is one of Calico's staged policies (projectcalico.org group). */
export function isStagedPolicy(object: unknown): boolean {
    const record = asRecord(object);
    return record !== undefined && typeof record.kind === "string" && record.kind in STAGED_KINDS && typeof record.apiVersion === "string" && record.apiVersion.startsWith("projectcalico.org/");
}

/** The identity an enforced policy and its staged twin share: kind group, namespace, name. */
function identity(apiVersion: string, kind: string, metadata: Json | undefined): string {
    const group = apiVersion.includes("projectcalico.org") ? "calico" : "kubernetes";
    const namespace = kind === "GlobalNetworkPolicy" ? "" : typeof metadata?.namespace === "string" ? metadata.namespace : "default";
    return `${group}/${kind}/${namespace}/${String(metadata?.name ?? "")}`;
}

function stagedAction(spec: Json | undefined, source: SourceLocation | undefined): string {
    const action = spec?.stagedAction ?? "Set";
    if (typeof action !== "string" || !STAGED_ACTIONS.includes(action)) {
        throw fieldError(source, ["spec", "stagedAction"], `expected one of ${STAGED_ACTIONS.join(", ")}, found ${JSON.stringify(action)}`);
    }
    return action;
}

/**
 * The objects as they would be with every staged policy enforced: `Set` replaces (or adds) the enforced policy of
 * the same kind, namespace and name; `Delete` removes it; `Learn`/`Ignore` change nothing. Staged objects
 * themselves are dropped. Order is kept; a replacement takes the place of the policy it replaces.
 */
export function enforceStagedPolicies(objects: readonly ManifestObject[]): ManifestObject[] {
    const changes = new Map<string, { readonly action: string; readonly object?: ManifestObject }>();
    for (const entry of objects) {
        if (!isStagedPolicy(entry.object)) continue;
        const record = entry.object as Json;
        const target = STAGED_KINDS[record.kind as string]!;
        const spec = asRecord(record.spec);
        const action = stagedAction(spec, entry.source);
        const metadata = asRecord(record.metadata);
        const { stagedAction: _dropped, ...enforcedSpec } = spec ?? {};
        const enforced = { apiVersion: target.apiVersion, kind: target.kind, metadata: { ...metadata }, spec: enforcedSpec };
        changes.set(identity(target.apiVersion, target.kind, metadata), { action, object: { object: enforced, source: entry.source } });
    }
    const result: ManifestObject[] = [];
    const applied = new Set<string>();
    for (const entry of objects) {
        if (isStagedPolicy(entry.object)) continue;
        const record = asRecord(entry.object);
        const key = record && typeof record.apiVersion === "string" && typeof record.kind === "string" ? identity(record.apiVersion, record.kind, asRecord(record.metadata)) : undefined;
        const change = key !== undefined ? changes.get(key) : undefined;
        if (!change || change.action === "Learn" || change.action === "Ignore") {
            result.push(entry);
            continue;
        }
        applied.add(key!);
        if (change.action === "Set") result.push(change.object!);
    }
    for (const [key, change] of changes) {
        if (!applied.has(key) && change.action === "Set") result.push(change.object!);
    }
    return result;
}
