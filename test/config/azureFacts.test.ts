import { describe, expect, it } from "vitest";
import { AKS_VERSION_CALENDAR, AKS_VERSION_CALENDAR_READ_ON, calendarEntry, judgeVersionSupport, recoveryTarget, supportedMinorVersions, versionSupport } from "../../core/azure";
import { DayError, judgementDay } from "../../core/common";
import { readStackConfig } from "../../core/config";
import { projectConfigValues } from "../../core/config";
import { stackConfig } from "../helpers/stack";
import { vmSizeCapacity } from "../../core/azure";

describe("AKS version calendar", () => {
    it("keeps minor versions in order, each with a window that ends after it starts", () => {
        const minors = AKS_VERSION_CALENDAR.map((entry) => Number(entry.minor.split(".")[1]));
        expect(minors).toEqual([...minors].sort((a, b) => a - b));
        for (const entry of AKS_VERSION_CALENDAR) {
            expect(entry.generallyAvailable < entry.endOfLife, entry.minor).toBe(true);
        }
    });

    it("supports three minor versions on the day it was read (N-2), and none of them is 1.33", () => {
        expect(supportedMinorVersions("2026-12-01")).toEqual(["1.35", "1.36", "1.37"]);
    });

    it("counts the days to end of life from the day it is asked, and says when support ended", () => {
        expect(versionSupport("1.35", "2027-01-15")).toEqual({ status: "supported", endOfLife: "2027-03-31", daysLeft: 75 });
        expect(versionSupport("1.36.3", "2026-12-01")).toEqual({ status: "supported", endOfLife: "2027-06-30", daysLeft: 211 });
        expect(versionSupport("1.34", "2026-12-01")).toEqual({ status: "end-of-life", endOfLife: "2026-11-30" });
        expect(versionSupport("1.38", "2026-12-01")).toEqual({ status: "unknown" });
    });
});

describe("AKS version calendar against the docs", () => {
    // Transcribed from AKS docs, "Supported Kubernetes versions in AKS", release calendar and LTS table
    // (MicrosoftDocs/azure-aks-docs fb060ab, 2026-08-21): AKS GA month, end of life ("the last day of the specified
    // month" unless a day is given: 1.30 Aug 22, 2025; 1.31 Nov 1, 2025). 1.28 is from the page's 2024 revision.
    const DOCS: Record<string, [ga: string, endOfLife: string]> = {
        "1.29": ["Mar 2024", "Mar 2025"], "1.30": ["Jul 2024", "2025-08-22"], "1.31": ["Nov 2024", "2025-11-01"],
        "1.32": ["Apr 2025", "Mar 2026"], "1.33": ["Jun 2025", "Jul 2026"], "1.34": ["Nov 2025", "Nov 2026"],
        "1.35": ["Mar 2026", "Mar 2027"], "1.36": ["Jun 2026", "Jun 2027"], "1.37": ["Oct 2026", "Oct 2027"],
    };
    const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const day = (text: string, end: boolean) => {
        if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
        const [month, year] = text.split(" ");
        const index = MONTHS.indexOf(month!);
        return new Date(Date.UTC(Number(year), end ? index + 1 : index, end ? 0 : 1)).toISOString().slice(0, 10);
    };

    it("holds the docs' GA month and end-of-life day for every minor the docs list", () => {
        for (const [minor, [ga, endOfLife]] of Object.entries(DOCS)) {
            expect(calendarEntry(minor), minor).toMatchObject({ generallyAvailable: day(ga, false), endOfLife: day(endOfLife, true) });
        }
    });

    it("sends a cluster whose next minor is out of support too to the lowest supported one (AKS's recovery path), else one minor up", () => {
        expect(recoveryTarget("1.36", "2027-07-15")).toBeUndefined();
        expect(judgeVersionSupport("1.36", "2027-07-15").message).toMatch(/; upgrade to 1\.37 \(one minor at a time\)$/);
        expect(recoveryTarget("1.35", "2027-07-15")).toBe("1.37");
        expect(judgeVersionSupport("1.35", "2027-07-15").message).toBe(
            "1.35 reached the end of AKS standard support on 2027-03-31 (judged on 2027-07-15): AKS creates no clusters or node pools on it; upgrade to 1.37 in one step, AKS's unsupported recovery path (the minors between are out of support too)",
        );
    });
});

describe("the day version support is judged on", () => {
    const clock = () => new Date("2026-12-07T10:00:00Z");
    it("is --today when given, else SOURCE_DATE_EPOCH (seconds, UTC), else the clock", () => {
        // Date.UTC(2027, 5, 30) / 1000 = 1814313600 s = 2027-06-30T00:00:00Z; 1814399999 s = its last second.
        expect(judgementDay("2027-05-16", { SOURCE_DATE_EPOCH: "1814313600" }, clock)).toBe("2027-05-16");
        expect(judgementDay(undefined, { SOURCE_DATE_EPOCH: "1814313600" }, clock)).toBe("2027-06-30");
        expect(judgementDay(undefined, { SOURCE_DATE_EPOCH: "1814399999" }, clock)).toBe("2027-06-30");
        expect(judgementDay(undefined, { SOURCE_DATE_EPOCH: "" }, clock)).toBe("2026-12-07");
        expect(judgementDay(undefined, {}, clock)).toBe("2026-12-07");
    });

    it("refuses a SOURCE_DATE_EPOCH or --today it cannot read, by name", () => {
        expect(() => judgementDay(undefined, { SOURCE_DATE_EPOCH: "2027-06-30" }, clock)).toThrow(new DayError('SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got "2027-06-30"'));
        expect(() => judgementDay("30/06/2027", {}, clock)).toThrow(DayError);
    });
});

describe("the checked-in stacks' Kubernetes version", () => {
    it("is in AKS standard support with more than 90 days left, and ships a Calico the policy objects are checked against (3.29-3.31)", () => {
        for (const stack of ["dev", "prod"]) {
            const version = readStackConfig(projectConfigValues(stackConfig(stack)), stack).cluster.kubernetesVersion;
            const support = versionSupport(version, AKS_VERSION_CALENDAR_READ_ON);
            expect(support.status === "supported" && support.daysLeft > 90, `${stack}: ${version}`).toBe(true);
            expect(calendarEntry(version)?.calico, `${stack}: ${version}`).toMatch(/Calico 3\.(29|30|31)\.x/);
        }
    });
});

describe("VM sizes read from their names", () => {
    it("reads vCPUs and memory of the families it knows", () => {
        expect(vmSizeCapacity("Standard_D4ds_v5")).toEqual({ vcpus: 4, memoryGiB: 16 });
        expect(vmSizeCapacity("Standard_D8ds_v5")).toEqual({ vcpus: 8, memoryGiB: 32 });
        expect(vmSizeCapacity("Standard_E8-4ds_v5")).toEqual({ vcpus: 4, memoryGiB: 64 });
        expect(vmSizeCapacity("Standard_D2ls_v5")).toEqual({ vcpus: 2, memoryGiB: 4 });
        expect(vmSizeCapacity("Standard_B1s")).toEqual({ vcpus: 1, memoryGiB: 1 });
    });

    it("refuses to guess for names that do not follow the pattern", () => {
        expect(vmSizeCapacity("Standard_D11_v2")).toBeUndefined();
        expect(vmSizeCapacity("Standard_NC6s_v3")).toBeUndefined();
        expect(vmSizeCapacity("Standard_B2ts_v2")).toBeUndefined();
    });
});
