import { KUBERNETES_VERSION_INPUTS, versionDrift } from "../../core/azure";

/**
 * The daily drift check's judge. `pulumi preview --refresh --json` compares what Azure reports (refreshed into the
 * stored inputs, see core/azure/refreshDrift.ts) with what the program declares. Some differences are not drift:
 * - node pools in the cluster's `agentPoolProfiles` that an AgentPool resource of the same stack owns (azure-native's
 *   refresh copies every pool Azure lists into the cluster's inputs; pulumi-azure-native #1298, #2059);
 * - keys Azure or a policy added that the program never sets (tags, `identityProfile`, ...): a `pulumi up` does not
 *   send them; they are reported as notes;
 * - autoscaled counts, which the program lists in `ignoreChanges` (the engine already drops them from new inputs);
 * - the running patch AKS's `patch` channel wrote into `kubernetesVersion` / `orchestratorVersion` of the declared
 *   `major.minor`: sending `major.minor` back triggers nothing (core/azure/refreshDrift.ts); a note. Another minor is
 *   drift, named as the downgrade a `pulumi up` would ask for.
 * Everything else the program declares and Azure no longer matches is drift.
 */

/** One step of `pulumi preview --json` (sdk/go/common/apitype: previewDigest steps), as far as the check reads it. */
export interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    readonly oldState?: { readonly type?: string; readonly inputs?: Record<string, unknown> };
    readonly newState?: { readonly type?: string; readonly inputs?: Record<string, unknown> };
}

/** What the check found: drift fails the check, notes are printed only. */
export interface DriftReport {
    readonly drift: readonly string[];
    readonly notes: readonly string[];
}

/** A key only Azure sets: the engine sends the program's inputs, which lack it. */
const UNDECLARED = "is set in Azure but not by the program (pulumi up does not send it)";

const UNCHANGED_OPS = new Set(["same", "read", "refresh", "discard"]);
const CLUSTER_TYPE = /^azure-native:containerservice(\/v\d+(preview)?)?:ManagedCluster$/;
const AGENT_POOL_TYPE = /^azure-native:containerservice(\/v\d+(preview)?)?:AgentPool$/;

/** The resource's name from its URN (after the last `::`). */
function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function typeOf(step: PreviewStep): string {
    return step.newState?.type ?? step.oldState?.type ?? step.urn.split("::")[2]?.split("$").pop() ?? "";
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (isObject(value)) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
    return value;
}

/**
 * Compares what the program declares (`declared`) with what the refreshed state holds (`stored`) under `path`:
 * a declared value Azure changed is drift; a key only Azure has is a note.
 */
function compare(declared: unknown, stored: unknown, path: string, report: { drift: string[]; notes: string[] }): void {
    if (isObject(declared) && isObject(stored)) {
        for (const key of Object.keys(declared).sort()) {
            compare(declared[key], stored[key], path ? `${path}.${key}` : key, report);
        }
        for (const key of Object.keys(stored).sort().filter((key) => !(key in declared))) {
            report.notes.push(`${path ? `${path}.${key}` : key} ${UNDECLARED}`);
        }
        return;
    }
    const field = path.slice(Math.max(path.lastIndexOf("."), path.lastIndexOf(" ")) + 1);
    if (KUBERNETES_VERSION_INPUTS.includes(field) && typeof declared === "string" && typeof stored === "string") {
        const version = versionDrift(declared, stored);
        if (version.kind === "patch") {
            report.notes.push(`${path}: AKS runs ${version.running}, a patch of the declared ${declared} (its patch channel; pulumi up sends ${declared} back, which AKS does not treat as a change)`);
        } else if (version.kind === "moved") {
            report.drift.push(`${path}: Azure runs ${version.running}, the program declares ${declared}${version.downgrade ? `: pulumi up would ask AKS for a downgrade, which it refuses; set cluster.kubernetesVersion to ${version.running.split(".").slice(0, 2).join(".")}` : ""}`);
        }
        return;
    }
    if (!same(declared, stored)) {
        report.drift.push(`${path}: Azure has ${JSON.stringify(stored)}, the program declares ${JSON.stringify(declared)}`);
    }
}

/** The cluster's pools, compared by name: Azure's order is its own, and pools owned by AgentPool resources are theirs. */
function comparePools(declared: unknown, stored: unknown, ownedElsewhere: ReadonlySet<string>, label: string, report: { drift: string[]; notes: string[] }): void {
    const byName = (pools: unknown) => new Map((Array.isArray(pools) ? pools : []).filter(isObject).map((pool) => [String(pool.name), pool]));
    const declaredPools = byName(declared);
    const storedPools = byName(stored);
    for (const [name, pool] of declaredPools) {
        const storedPool = storedPools.get(name);
        if (!storedPool) {
            report.drift.push(`${label}: agentPoolProfiles: pool ${name} is missing in Azure`);
            continue;
        }
        // The autoscaler owns an autoscaled pool's count. ignoreChanges keeps it by index (agentPoolProfiles[0].count,
        // core/azure/refreshDrift.ts), so the count the preview would send is the stored count of whichever pool Azure
        // lists first: when that is another pool, a pulumi up would resize this one to the other's node count.
        const { count: sent, ...declaredRest } = pool;
        if (pool.enableAutoScaling === true && sent !== undefined && !same(sent, storedPool.count)) {
            const first = Array.isArray(stored) && isObject(stored[0]) ? String(stored[0].name) : "another pool";
            report.drift.push(`${label}: agentPoolProfiles[${name}].count: pulumi up would send ${JSON.stringify(sent)} for pool ${name}, which runs ${JSON.stringify(storedPool.count)}: Azure lists pool ${first} first, and ignoreChanges keeps agentPoolProfiles[0].count by index; leave the cluster out of pulumi up (--exclude its URN) until the stack ignores the count by name (README, Operating)`);
        }
        compare(pool.enableAutoScaling === true ? { ...declaredRest, count: storedPool.count } : pool, storedPool, `${label}: agentPoolProfiles[${name}]`, report);
    }
    for (const name of [...storedPools.keys()].filter((name) => !declaredPools.has(name)).sort()) {
        if (ownedElsewhere.has(name)) report.notes.push(`${label}: agentPoolProfiles[${name}] is owned by its AgentPool resource`);
        else report.drift.push(`${label}: agentPoolProfiles: pool ${name} exists in Azure but neither the cluster nor an AgentPool declares it`);
    }
}

/** Judges the steps of a refreshed preview. */
export function judgeDrift(steps: readonly PreviewStep[]): DriftReport {
    const report = { drift: [] as string[], notes: [] as string[] };
    const ownedPools = new Set(steps.filter((step) => AGENT_POOL_TYPE.test(typeOf(step))).map((step) => String((step.newState?.inputs ?? step.oldState?.inputs ?? {}).agentPoolName)));
    for (const step of steps) {
        if (UNCHANGED_OPS.has(step.op)) continue;
        const label = `${nameOf(step.urn)} (${typeOf(step)})`;
        if (step.op !== "update" || !step.oldState?.inputs || !step.newState?.inputs) {
            report.drift.push(`${label}: ${step.op}`);
            continue;
        }
        const declared = step.newState.inputs;
        const stored = step.oldState.inputs;
        const isCluster = CLUSTER_TYPE.test(typeOf(step));
        for (const key of Object.keys(declared).sort()) {
            if (isCluster && key === "agentPoolProfiles") comparePools(declared[key], stored[key], ownedPools, label, report);
            else compare(declared[key], stored[key], `${label}: ${key}`, report);
        }
        for (const key of Object.keys(stored).sort().filter((key) => !(key in declared))) {
            report.notes.push(`${label}: ${key} ${UNDECLARED}`);
        }
    }
    return report;
}

/** A diagnostic of `pulumi preview --json` (previewDiagnostic): the program's and the engine's warnings and errors. */
export interface PreviewDiagnostic {
    readonly urn?: string;
    readonly message?: string;
    readonly severity?: string;
}

/** What the check reads from `pulumi preview --json` output (pkg/backend/display/json.go, previewDigest). */
export interface PreviewDigest {
    readonly steps: PreviewStep[];
    /** Warnings and errors, one line each. Policy results are not among them: the JSON digest skips policy events. */
    readonly warnings: string[];
    readonly errors: string[];
}

/** Reads `pulumi preview --json` output: the steps, and the warnings and errors (a failed preview has no steps to judge). */
export function readPreview(text: string, file: string): PreviewDigest {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new DriftInputError(`${file}: not JSON (${(error as Error).message}); pass the output of pulumi preview --refresh --json`);
    }
    const diagnostics = (isObject(parsed) && Array.isArray(parsed.diagnostics) ? parsed.diagnostics : []).filter(isObject) as PreviewDiagnostic[];
    const lines = (severity: string) => diagnostics
        .filter((diagnostic) => diagnostic.severity === severity && typeof diagnostic.message === "string" && diagnostic.message.trim() !== "")
        .map((diagnostic) => `${diagnostic.urn ? `${nameOf(diagnostic.urn)}: ` : ""}${diagnostic.message!.trim().replace(/\s*\n\s*/g, " ")}`);
    const errors = lines("error");
    const steps = isObject(parsed) ? parsed.steps : undefined;
    if (!Array.isArray(steps) && errors.length === 0) throw new DriftInputError(`${file}: no "steps" array; pass the output of pulumi preview --refresh --json`);
    return { steps: Array.isArray(steps) ? (steps as PreviewStep[]) : [], warnings: lines("warning"), errors };
}

/** The preview output could not be read. */
export class DriftInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DriftInputError";
    }
}
