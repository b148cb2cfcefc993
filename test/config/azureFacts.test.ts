import { describe, expect, it } from "vitest";
import { AKS_VERSION_CALENDAR, AKS_VERSION_CALENDAR_READ_ON, calendarEntry, supportedMinorVersions, versionSupport } from "../../core/azure";
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
