/**
 * AKS planned maintenance (AKS docs, "Use planned maintenance to schedule and control upgrades", planned-maintenance.md
 * in MicrosoftDocs/azure-aks-docs, ms.date 12/19/2025, read 2026-12-07; ARM MaintenanceConfiguration, API 2025-09-01
 * as @pulumi/azure-native 3.28 ships it):
 * - `aksManagedAutoUpgradeSchedule` times the cluster auto-upgrade channel (here `patch`); `aksManagedNodeOSUpgradeSchedule`
 *   times the node OS channel (here `NodeImage`). AKS recommends them over `default` for these two jobs.
 * - "When you're using auto-upgrade, to ensure proper functionality, use a maintenance window with a duration of four
 *   hours or more"; the API takes 4 to 24 hours (`durationHours`).
 * - `startTime` is 'HH:mm' in the zone `utcOffset` ('+HH:mm'/'-HH:mm', default +00:00); `startDate` defaults to the
 *   day the window is created, so it is left to AKS (a date in the program would be a clock in a resource).
 * - Node images ship weekly: AKS recommends a weekly node OS window with `NodeImage`.
 * - Windows are best effort, and AKS may break them for urgent fixes.
 */

/** The two maintenance configurations, by what they time. */
export const MAINTENANCE_CONFIGURATION_NAMES = {
    kubernetesUpgrades: "aksManagedAutoUpgradeSchedule",
    nodeImageUpgrades: "aksManagedNodeOSUpgradeSchedule",
} as const;

export type MaintenanceWindowName = keyof typeof MAINTENANCE_CONFIGURATION_NAMES;

/** The API's bounds on a window's length, in hours; AKS asks for at least 4 with auto-upgrade. */
export const MAINTENANCE_WINDOW_HOURS = { min: 4, max: 24 } as const;

/** The API's bounds on a weekly schedule's interval. */
export const MAINTENANCE_INTERVAL_WEEKS = { min: 1, max: 4 } as const;

export const WEEK_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

/** A weekly maintenance window as the stack configures it. */
export interface MaintenanceWindow {
    readonly dayOfWeek: WeekDay;
    /** 'HH:mm', in `utcOffset`. */
    readonly startTime: string;
    readonly durationHours: number;
    /** '+HH:mm' or '-HH:mm'. */
    readonly utcOffset: string;
    readonly intervalWeeks: number;
}

/** The `maintenanceWindow` of a MaintenanceConfiguration (ARM shape). */
export function maintenanceWindowArgs(window: MaintenanceWindow): {
    schedule: { weekly: { dayOfWeek: WeekDay; intervalWeeks: number } };
    durationHours: number;
    startTime: string;
    utcOffset: string;
} {
    return {
        schedule: { weekly: { dayOfWeek: window.dayOfWeek, intervalWeeks: window.intervalWeeks } },
        durationHours: window.durationHours,
        startTime: window.startTime,
        utcOffset: window.utcOffset,
    };
}

/** "Monday 01:00-05:00 UTC+00:00, every week". */
export function describeMaintenanceWindow(window: MaintenanceWindow): string {
    const [hours, minutes] = window.startTime.split(":").map(Number);
    const end = (hours! * 60 + minutes! + window.durationHours * 60) % (24 * 60);
    const endTime = `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
    const every = window.intervalWeeks === 1 ? "every week" : `every ${window.intervalWeeks} weeks`;
    return `${window.dayOfWeek} ${window.startTime}-${endTime} UTC${window.utcOffset} (${window.durationHours} h), ${every}`;
}

/**
 * The cluster's auto-upgrade channels (`autoUpgradeProfile`), which the two windows time. `patch` "automatically
 * upgrades the cluster to the latest supported patch version when it becomes available while keeping the minor version
 * the same" (AKS docs, auto-upgrade-cluster.md); `NodeImage` reimages nodes with the weekly node image.
 */
export const CLUSTER_UPGRADE_CHANNEL = "patch";
export const NODE_OS_UPGRADE_CHANNEL = "NodeImage";
