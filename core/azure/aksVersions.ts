import { daysBetween } from "../common";

/**
 * AKS's Kubernetes version calendar: when each minor version became generally available on AKS and when its
 * standard (community) support ends. Source: AKS docs, "Supported Kubernetes versions in AKS", section "AKS
 * Kubernetes release calendar" (MicrosoftDocs/azure-aks-docs articles/aks/supported-kubernetes-versions.md,
 * commit fb060ab of 2026-08-21; read 2026-12-01). The page gives months; "unless an explicit date is provided,
 * the End of Life date is the last day of the specified month". After end of life a version gets platform
 * support only, which does not include creating clusters; LTS extends it only on the Premium tier.
 *
 * Calico ships with the AKS version through AKS's tigera-operator (same page, "AKS components breaking changes by
 * version", and the Azure/AKS CHANGELOG): 1.33 -> operator 1.38.x (Calico 3.30.x); 1.34 -> operator 1.38.8
 * (Calico 3.30.x); 1.35 and 1.36 -> operator 1.40.2 (Calico 3.31.x); 1.37 -> not yet listed on the page.
 * The policy objects are `crd.projectcalico.org/v1` and are checked against Calico 3.29-3.31 (REFERENCE.md §2).
 */

/** One AKS minor version's support window, as the calendar states it. */
export interface AksMinorVersion {
    /** Kubernetes minor version, e.g. "1.36". */
    readonly minor: string;
    /** First day of the month AKS made it generally available (ISO date). */
    readonly generallyAvailable: string;
    /** Last day of standard support (ISO date, inclusive). */
    readonly endOfLife: string;
    /** The tigera-operator (and Calico) AKS ships with it, when the docs list it. */
    readonly calico?: string;
}

/** Where the calendar comes from, for messages and docs. */
export const AKS_VERSION_CALENDAR_SOURCE = "AKS docs, Supported Kubernetes versions (release calendar), read 2026-12-01";

/** The calendar, oldest first. */
export const AKS_VERSION_CALENDAR: readonly AksMinorVersion[] = [
    { minor: "1.28", generallyAvailable: "2023-11-01", endOfLife: "2025-01-31" },
    { minor: "1.29", generallyAvailable: "2024-03-01", endOfLife: "2025-03-31" },
    { minor: "1.30", generallyAvailable: "2024-07-01", endOfLife: "2025-08-22" },
    { minor: "1.31", generallyAvailable: "2024-11-01", endOfLife: "2025-11-01" },
    { minor: "1.32", generallyAvailable: "2025-04-01", endOfLife: "2026-03-31", calico: "tigera-operator 1.36.x (Calico 3.29.x)" },
    { minor: "1.33", generallyAvailable: "2025-06-01", endOfLife: "2026-07-31", calico: "tigera-operator 1.38.x (Calico 3.30.x)" },
    { minor: "1.34", generallyAvailable: "2025-11-01", endOfLife: "2026-11-30", calico: "tigera-operator 1.38.8 (Calico 3.30.x)" },
    { minor: "1.35", generallyAvailable: "2026-03-01", endOfLife: "2027-03-31", calico: "tigera-operator 1.40.2 (Calico 3.31.x)" },
    { minor: "1.36", generallyAvailable: "2026-06-01", endOfLife: "2027-06-30", calico: "tigera-operator 1.40.2 (Calico 3.31.x)" },
    { minor: "1.37", generallyAvailable: "2026-10-01", endOfLife: "2027-10-31" },
];

/** The day the calendar was read (also the default day of checks that are given none, e.g. in unit tests). */
export const AKS_VERSION_CALENDAR_READ_ON = "2026-12-01";

/** Days before end of life from which the plan and the policy pack warn. */
export const SUPPORT_ENDING_WARNING_DAYS = 90;

/** The minor part of a version: "1.36.2" -> "1.36". */
export function minorOf(version: string): string {
    const [major, minor] = version.split(".");
    return `${major}.${minor}`;
}

/** The calendar entry of a version, if AKS ever listed it. */
export function calendarEntry(version: string): AksMinorVersion | undefined {
    const minor = minorOf(version);
    return AKS_VERSION_CALENDAR.find((entry) => entry.minor === minor);
}

/** Minor versions in standard support on a day (ISO date): GA on or before it, end of life on or after it. */
export function supportedMinorVersions(onDay: string): string[] {
    return AKS_VERSION_CALENDAR.filter((entry) => entry.generallyAvailable <= onDay && onDay <= entry.endOfLife).map((entry) => entry.minor);
}

/** What AKS says about a version on a given day. */
export type VersionSupport =
    | { readonly status: "supported"; readonly endOfLife: string; readonly daysLeft: number }
    | { readonly status: "end-of-life"; readonly endOfLife: string }
    | { readonly status: "not-yet-available"; readonly generallyAvailable: string }
    | { readonly status: "unknown" };

/** Support status of a version (minor or patch) on a day (ISO date). Pure: the caller chooses the day. */
export function versionSupport(version: string, onDay: string): VersionSupport {
    const entry = calendarEntry(version);
    if (!entry) {
        return { status: "unknown" };
    }
    if (onDay < entry.generallyAvailable) {
        return { status: "not-yet-available", generallyAvailable: entry.generallyAvailable };
    }
    if (onDay > entry.endOfLife) {
        return { status: "end-of-life", endOfLife: entry.endOfLife };
    }
    return { status: "supported", endOfLife: entry.endOfLife, daysLeft: daysBetween(onDay, entry.endOfLife) };
}

/**
 * After about four months AKS has shipped a new minor (it ships three a year, per the calendar above): a calendar read
 * longer ago than this misses versions and end-of-life dates, so checks say so.
 */
export const CALENDAR_STALE_AFTER_DAYS = 120;

/** A warning when the calendar was read more than CALENDAR_STALE_AFTER_DAYS before `today`. */
export function calendarStaleness(today: string): string | undefined {
    const age = daysBetween(AKS_VERSION_CALENDAR_READ_ON, today);
    if (age <= CALENDAR_STALE_AFTER_DAYS) return undefined;
    return `the AKS version calendar was read on ${AKS_VERSION_CALENDAR_READ_ON}, ${age} days before ${today}: AKS has released versions since; update core/azure/aksVersions.ts from the docs (Supported Kubernetes versions, release calendar)`;
}

/** How a version stands on a day: fine, a warning (support ends soon) or an error (past end of life, unknown). */
export interface VersionJudgement {
    readonly level: "ok" | "warning" | "error";
    /** One line: the version, its end of life and the day it was judged on. */
    readonly message: string;
}

/** The minor after this one in the calendar, if AKS lists it. */
export function nextMinorOf(version: string): string | undefined {
    const index = AKS_VERSION_CALENDAR.findIndex((entry) => entry.minor === minorOf(version));
    return index >= 0 ? AKS_VERSION_CALENDAR[index + 1]?.minor : undefined;
}

/**
 * Where a cluster past its end of life may jump in one upgrade: the lowest minor in standard support on `today`, when
 * the next minor is itself out of support. AKS docs, Supported Kubernetes versions, FAQ "Can I skip multiple AKS
 * versions during a cluster upgrade?": "Unsupported non-LTS | Lowest supported community version | Yes | ... Unsupported
 * recovery path" (MicrosoftDocs/azure-aks-docs fb060ab, read 2026-12-07). Undefined while one minor up still works.
 */
export function recoveryTarget(version: string, today: string): string | undefined {
    if (versionSupport(version, today).status !== "end-of-life") return undefined;
    const next = nextMinorOf(version);
    if (next && versionSupport(next, today).status === "supported") return undefined;
    const index = AKS_VERSION_CALENDAR.findIndex((entry) => entry.minor === minorOf(version));
    return AKS_VERSION_CALENDAR.slice(index + 1).find((entry) => versionSupport(entry.minor, today).status === "supported")?.minor;
}

/**
 * Judges a version on a day: an error once standard support has ended (AKS then creates no clusters or node pools on
 * it), a warning from SUPPORT_ENDING_WARNING_DAYS before, else fine. Pure: the caller chooses the day.
 */
export function judgeVersionSupport(version: string, today: string): VersionJudgement {
    const support = versionSupport(version, today);
    const supported = supportedMinorVersions(today).join(", ") || "none in the calendar";
    const next = nextMinorOf(version);
    const recovery = recoveryTarget(version, today);
    const upgrade = recovery
        ? `upgrade to ${recovery} in one step, AKS's unsupported recovery path (the minors between are out of support too)`
        : next ? `upgrade to ${next} (one minor at a time)` : `upgrade to a supported minor (${supported})`;
    switch (support.status) {
        case "end-of-life":
            return { level: "error", message: `${version} reached the end of AKS standard support on ${support.endOfLife} (judged on ${today}): AKS creates no clusters or node pools on it; ${upgrade}` };
        case "not-yet-available":
            return { level: "error", message: `${version} is not generally available on AKS before ${support.generallyAvailable} (judged on ${today}; supported: ${supported})` };
        case "unknown":
            return { level: "error", message: `${version} is not in AKS's version calendar (supported on ${today}: ${supported})` };
        case "supported":
            return support.daysLeft <= SUPPORT_ENDING_WARNING_DAYS
                ? { level: "warning", message: `${version} leaves AKS standard support on ${support.endOfLife}, in ${support.daysLeft} days (judged on ${today}): ${upgrade}` }
                : { level: "ok", message: `${version} is in AKS standard support until ${support.endOfLife} (${support.daysLeft} days left on ${today})` };
    }
}

/**
 * AKS's rule for version changes, quoted. Sources: the ARM API's `ManagedClusterProperties.kubernetesVersion`
 * (containerservice 2025-09-01, as @pulumi/azure-native 3.28 documents it) and AKS docs, "Upgrade AKS node pools"
 * (upgrade-node-pools.md, "Rules for submitting an upgrade operation"; MicrosoftDocs/azure-aks-docs fb060ab, read
 * 2026-12-07). Since 2026 the docs let LTS clusters (Premium tier with the AKSLongTermSupport plan, which this stack
 * does not set) skip minors, and an unsupported non-LTS cluster jump to the lowest supported minor as an "unsupported
 * recovery path"; a supported non-LTS cluster still goes one minor at a time (supported-kubernetes-versions.md, FAQ
 * "Can I skip multiple AKS versions during a cluster upgrade?"; upgrade-aks-control-plane.md).
 */
export const AKS_UPGRADE_RULE = "When you upgrade a supported AKS cluster, Kubernetes minor versions cannot be skipped. All upgrades must be performed sequentially by major version number. For example, upgrades between 1.14.x -> 1.15.x or 1.15.x -> 1.16.x are allowed, however 1.14.x -> 1.16.x is not allowed. (ARM ManagedClusterProperties.kubernetesVersion) You can't downgrade the control plane or a node pool Kubernetes version. (AKS docs, Upgrade AKS node pools)";

/** What a change of `kubernetesVersion` asks AKS to do. */
export type VersionChange =
    | { readonly kind: "unchanged" }
    | { readonly kind: "patch" }
    | { readonly kind: "upgrade" }
    | { readonly kind: "skip"; readonly skipped: readonly string[] }
    | { readonly kind: "downgrade" };

/** Compares two versions (minor or patch): one minor up is an upgrade, more is a skip, lower is a downgrade. */
export function versionChange(from: string, to: string): VersionChange {
    const [fromMajor, fromMinor] = from.split(".").map(Number);
    const [toMajor, toMinor] = to.split(".").map(Number);
    if (from === to) return { kind: "unchanged" };
    if (fromMajor !== toMajor) return toMajor > fromMajor ? { kind: "skip", skipped: [] } : { kind: "downgrade" };
    if (toMinor === fromMinor) {
        const fromPatch = Number(from.split(".")[2] ?? Number.POSITIVE_INFINITY);
        const toPatch = Number(to.split(".")[2] ?? Number.POSITIVE_INFINITY);
        return toPatch < fromPatch ? { kind: "downgrade" } : { kind: "patch" };
    }
    if (toMinor < fromMinor) return { kind: "downgrade" };
    if (toMinor === fromMinor + 1) return { kind: "upgrade" };
    return { kind: "skip", skipped: Array.from({ length: toMinor - fromMinor - 1 }, (_, index) => `${fromMajor}.${fromMinor + index + 1}`) };
}
