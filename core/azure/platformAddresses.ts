/**
 * Azure platform addresses that every VM, and through it every pod, can reach without a route or a firewall in the
 * way. Read 2026-12-07.
 *
 * - 169.254.169.254, the Instance Metadata Service (IMDS): hands out access tokens for the VM's managed identities
 *   (Azure docs, "Azure Instance Metadata Service", virtual-machines/instance-metadata-service.md). On AKS the
 *   default `networkProfile.podLinkLocalAccess` is `IMDS`: pods that are not host-networked reach it too
 *   (REFERENCE.md section 6).
 * - 168.63.129.16, WireServer: the host agent's endpoint (80, 32526), DNS for Azure-provided name resolution, and
 *   the source of Azure Load Balancer health probes (Azure docs, "What is IP address 168.63.129.16?",
 *   virtual-network/what-is-ip-address-168-63-129-16.md).
 */
export const INSTANCE_METADATA_ADDRESS = "169.254.169.254/32";
export const WIRESERVER_ADDRESS = "168.63.129.16/32";

/** Both, for policies and checks that must keep pods away from the platform's credentials and agents. */
export const PLATFORM_ENDPOINTS = [WIRESERVER_ADDRESS, INSTANCE_METADATA_ADDRESS] as const;
