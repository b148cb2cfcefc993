import type { AddressName } from "../../reach";
import { INSTANCE_METADATA_ADDRESS, PLATFORM_ENDPOINTS, WIRESERVER_ADDRESS } from "../azure";
import { AZURE_PLATFORM_ADDRESS, PRIVATE_RANGES, SegmentationIntent, SHARED_ADDRESS_SPACE } from "./segmentationIntent";

/** The name of every public IPv4 address (the stack's own ranges left out). */
export const INTERNET_NAME = "internet";

/**
 * The stack's own address sets, by the names a reviewer knows, in the order output tries them: "internet" (every
 * public IPv4 address: all but the private, link-local, shared, Azure platform and cluster ranges, as the intent
 * check counts it), the VNet, the pod and service CIDRs, and the Azure platform addresses. Output prints traffic
 * common to a whole set as its name and the rest exactly (reach: presentConnections).
 */
export function stackAddressNames(intent: SegmentationIntent): AddressName[] {
    const { vnetCidr, podCidr, serviceCidr } = intent.cluster;
    const address = (cidr: string) => cidr.replace(/\/32$/, "");
    return [
        { name: INTERNET_NAME, cidrs: ["0.0.0.0/0"], except: [...PRIVATE_RANGES, SHARED_ADDRESS_SPACE, AZURE_PLATFORM_ADDRESS, vnetCidr, podCidr, serviceCidr] },
        { name: `VNet ${vnetCidr}`, cidrs: [vnetCidr] },
        { name: `pod CIDR ${podCidr}`, cidrs: [podCidr] },
        { name: `service CIDR ${serviceCidr}`, cidrs: [serviceCidr] },
        { name: "Azure platform addresses", cidrs: [...PLATFORM_ENDPOINTS] },
        { name: `Azure WireServer ${address(WIRESERVER_ADDRESS)}`, cidrs: [WIRESERVER_ADDRESS] },
        { name: `Azure IMDS ${address(INSTANCE_METADATA_ADDRESS)}`, cidrs: [INSTANCE_METADATA_ADDRESS] },
    ];
}
