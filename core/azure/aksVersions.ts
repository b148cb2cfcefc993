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

/** The day the calendar was read: validation judges versions on this day, so that a plan does not change by clock. */
export const AKS_VERSION_CALENDAR_READ_ON = "2026-12-01";

/** Days before end of life from which the policy pack warns. */
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

function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
