import {
    AKS_VERSION_CALENDAR_READ_ON,
    calendarStaleness,
    describeMaintenanceWindow,
    judgeVersionSupport,
    MAINTENANCE_CONFIGURATION_NAMES,
    type MaintenanceWindow,
    type VersionJudgement,
} from "../../core/azure";
import { findPlaceholders, type Placeholder } from "../../core/config";
import type { MockRun } from "../runtime";

/**
 * Day two in the plan: the Kubernetes version judged on a day, what runs it (control plane, pools), when AKS may
 * change it (maintenance windows), and the placeholders a real `pulumi up` refuses. The security diff compares two of
 * these (kubernetesUpgrade.ts).
 */
export interface ClusterLifecycle {
    readonly kubernetesVersion: string;
    /** The day support was judged on, and the verdict. */
    readonly judgedOn: string;
    readonly support: VersionJudgement;
    /** Set when the AKS calendar is older than about four months on `judgedOn`. */
    readonly calendarWarning?: string;
    readonly upgradeChannel: string;
    readonly nodeOsUpgradeChannel: string;
    /** Every node pool, system first: its mode, Kubernetes version and upgrade surge as declared. */
    readonly pools: ReadonlyArray<{ readonly name: string; readonly mode: string; readonly orchestratorVersion: string | null; readonly maxSurge: string | null }>;
    /** The maintenance configurations, by AKS name, with their windows. */
    readonly maintenance: ReadonlyArray<{ readonly name: string; readonly window: MaintenanceWindow }>;
    readonly placeholders: readonly Placeholder[];
}

/** AKS's upgrade surge when a pool sets none (API `upgradeSettings.maxSurge`; AKS docs, upgrade-aks-cluster.md). */
export const AKS_DEFAULT_MAX_SURGE = "10%";

/** Reads the lifecycle facts from what the program registered; `configValues` are the stack's (project prefix off). */
export function clusterLifecycle(run: MockRun, configValues: Record<string, unknown>, today: string): ClusterLifecycle {
    const cluster = run.resources.find((resource) => resource.type === "azure-native:containerservice:ManagedCluster");
    const inputs = (cluster?.inputs ?? {}) as Record<string, any>;
    const version = String(inputs.kubernetesVersion ?? "");
    const poolOf = (pool: Record<string, any>, name: string) => ({
        name,
        mode: String(pool.mode ?? "User"),
        orchestratorVersion: pool.orchestratorVersion ?? null,
        maxSurge: pool.upgradeSettings?.maxSurge ?? null,
    });
    const pools = [
        ...((inputs.agentPoolProfiles ?? []) as Array<Record<string, any>>).map((pool) => poolOf(pool, String(pool.name))),
        ...run.resources.filter((resource) => resource.type === "azure-native:containerservice:AgentPool").map((resource) => poolOf(resource.inputs as Record<string, any>, String(resource.inputs.agentPoolName))),
    ];
    const order = Object.values(MAINTENANCE_CONFIGURATION_NAMES) as string[];
    const maintenance = run.resources
        .filter((resource) => resource.type === "azure-native:containerservice:MaintenanceConfiguration")
        .map((resource) => {
            const window = resource.inputs.maintenanceWindow as Record<string, any>;
            return {
                name: String(resource.inputs.configName),
                window: {
                    dayOfWeek: window.schedule.weekly.dayOfWeek,
                    startTime: window.startTime,
                    durationHours: window.durationHours,
                    utcOffset: window.utcOffset ?? "+00:00",
                    intervalWeeks: window.schedule.weekly.intervalWeeks,
                },
            };
        })
        .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const calendarWarning = calendarStaleness(today);
    return {
        kubernetesVersion: version,
        judgedOn: today,
        support: judgeVersionSupport(version, today),
        ...(calendarWarning ? { calendarWarning } : {}),
        upgradeChannel: String(inputs.autoUpgradeProfile?.upgradeChannel ?? "none"),
        nodeOsUpgradeChannel: String(inputs.autoUpgradeProfile?.nodeOSUpgradeChannel ?? "none"),
        pools,
        maintenance,
        placeholders: findPlaceholders(configValues),
    };
}

/** The warnings a person should see on stderr: support ending soon, a stale calendar. */
export function lifecycleWarnings(lifecycle: ClusterLifecycle): string[] {
    return [
        ...(lifecycle.support.level === "warning" ? [`Kubernetes ${lifecycle.support.message}`] : []),
        ...(lifecycle.calendarWarning ? [lifecycle.calendarWarning] : []),
    ];
}

/** The plan's "Kubernetes version and maintenance" and "Placeholders" sections. */
export function clusterLifecycleText(lifecycle: ClusterLifecycle): string {
    const verdict = { ok: "OK", warning: "WARNING", error: "FAIL" }[lifecycle.support.level];
    const lines = [`Kubernetes version and maintenance (AKS calendar read ${AKS_VERSION_CALENDAR_READ_ON}):`];
    lines.push(`  version support: ${verdict}  ${lifecycle.support.message}`);
    if (lifecycle.calendarWarning) lines.push(`  calendar: WARNING  ${lifecycle.calendarWarning}`);
    for (const pool of lifecycle.pools) {
        lines.push(`  ${pool.mode.toLowerCase()} pool ${pool.name}: orchestratorVersion ${pool.orchestratorVersion ?? "(unset: AKS picks)"}, upgrade surge ${pool.maxSurge ?? `${AKS_DEFAULT_MAX_SURGE} (AKS default)`}`);
    }
    const channelOf = (name: string) => (name === MAINTENANCE_CONFIGURATION_NAMES.kubernetesUpgrades ? `${lifecycle.upgradeChannel} channel` : `${lifecycle.nodeOsUpgradeChannel} channel`);
    for (const entry of lifecycle.maintenance) {
        lines.push(`  ${entry.name} (${channelOf(entry.name)}): ${describeMaintenanceWindow(entry.window)}`);
    }
    lines.push("", lifecycle.placeholders.length === 0
        ? "Placeholders: none"
        : "Placeholders (pulumi preview and this plan run; a real pulumi up refuses to start until they are replaced):");
    for (const placeholder of lifecycle.placeholders) {
        lines.push(`  ${placeholder.key}: ${placeholder.value}, ${placeholder.why}`);
    }
    return lines.join("\n");
}
