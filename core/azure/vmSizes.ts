/**
 * vCPUs and memory of an Azure VM size, read from its name. Azure names sizes
 * `Standard_<family><vCPUs>[-<constrained vCPUs>]<features>[_v<version>]` (Azure docs, "Azure virtual machine sizes
 * naming conventions", read 2026-12-01): `Standard_D4ds_v5` is family D, 4 vCPUs, features d+s, version 5;
 * `Standard_E8-4ds_v5` has 4 active vCPUs and the memory of the 8-vCPU size.
 *
 * The name carries no memory, so memory comes from the family's fixed GiB per vCPU, read from each series' page
 * (Dv3-Dv6 and Dasv5..: 4 GiB per vCPU; their `l` "low memory" variants: 2; Ev3-Ev6: 8; Fsv2: 2; Lsv3/Lasv3: 8).
 * Only those families follow the pattern reliably. Older generations do not (`Standard_D11_v2` has 2 vCPUs, not 11),
 * and B-series memory is irregular, so B sizes come from a table (B-series page: B1s has 1 GiB, B2s 4 GiB).
 * Anything else is "unreadable": validation refuses it rather than guessing.
 */

/** What a VM size offers. */
export interface VmSizeCapacity {
    readonly vcpus: number;
    readonly memoryGiB: number;
}

/** The families this parser reads, for the error message. */
export const READABLE_VM_FAMILIES = "D and E (v3 or later), F (v2), L (v3) and B (v1) sizes";

/** B-series (v1) sizes: irregular memory (Azure docs, "B-series burstable VM sizes"). */
const B_SERIES: Record<string, VmSizeCapacity> = {
    Standard_B1ls: { vcpus: 1, memoryGiB: 0.5 },
    Standard_B1s: { vcpus: 1, memoryGiB: 1 },
    Standard_B1ms: { vcpus: 1, memoryGiB: 2 },
    Standard_B2s: { vcpus: 2, memoryGiB: 4 },
    Standard_B2ms: { vcpus: 2, memoryGiB: 8 },
    Standard_B4ms: { vcpus: 4, memoryGiB: 16 },
    Standard_B8ms: { vcpus: 8, memoryGiB: 32 },
    Standard_B12ms: { vcpus: 12, memoryGiB: 48 },
    Standard_B16ms: { vcpus: 16, memoryGiB: 64 },
    Standard_B20ms: { vcpus: 20, memoryGiB: 80 },
};

/** GiB of memory per (parent) vCPU, by family letter, the minimum version that follows the pattern, and features. */
function memoryPerVcpu(family: string, version: number, features: string): number | undefined {
    switch (family) {
        case "D":
            return version >= 3 ? (features.includes("l") ? 2 : 4) : undefined;
        case "E":
            return version >= 3 ? 8 : undefined;
        case "F":
            return version === 2 ? 2 : undefined;
        case "L":
            return version === 3 ? 8 : undefined;
        default:
            return undefined;
    }
}

const SIZE_NAME = /^Standard_([A-Z]+)(\d+)(?:-(\d+))?([a-z]*)(?:_v(\d+))?$/;

/** The capacity of a VM size, or undefined when the name does not say it reliably. */
export function vmSizeCapacity(vmSize: string): VmSizeCapacity | undefined {
    if (B_SERIES[vmSize]) {
        return B_SERIES[vmSize];
    }
    const match = SIZE_NAME.exec(vmSize);
    if (!match) {
        return undefined;
    }
    const [, family, parentVcpus, constrainedVcpus, features, version] = match;
    const perVcpu = memoryPerVcpu(family, version === undefined ? 1 : Number(version), features);
    if (perVcpu === undefined) {
        return undefined;
    }
    const parent = Number(parentVcpus);
    return { vcpus: constrainedVcpus !== undefined ? Number(constrainedVcpus) : parent, memoryGiB: parent * perVcpu };
}
