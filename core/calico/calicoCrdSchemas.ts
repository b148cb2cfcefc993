/**
 * Calico CRD schemas (crd.projectcalico.org/v1 NetworkPolicy and GlobalNetworkPolicy) for the Calico versions AKS
 * ships: 3.29 (AKS 1.32), 3.30 (AKS 1.33), 3.31 (AKS 1.35+). Data, not code: the `openAPIV3Schema` of each CRD,
 * copied from projectcalico/calico at the release tag named in `source`, with descriptions removed. The AKS
 * tigera-operator installs these same CRDs (REFERENCE.md section 2). Read 2026-12-01.
 * To refresh: take libcalico-go/config/crd/crd.projectcalico.org_{networkpolicies,globalnetworkpolicies}.yaml at
 * the new tag, spec.versions[name=v1].schema.openAPIV3Schema, drop every "description", and save it as
 * core/calico/calicoCrds/calico-<minor>.json with its calicoVersion, source and read date.
 */
import calico329 from "./calicoCrds/calico-3.29.json";
import calico330 from "./calicoCrds/calico-3.30.json";
import calico331 from "./calicoCrds/calico-3.31.json";

/** A Kubernetes structural schema node (the keywords these CRDs use). */
export interface CrdSchemaNode {
    readonly type?: string;
    readonly properties?: Readonly<Record<string, CrdSchemaNode>>;
    readonly additionalProperties?: CrdSchemaNode | boolean;
    readonly items?: CrdSchemaNode;
    readonly required?: readonly string[];
    readonly anyOf?: readonly CrdSchemaNode[];
    readonly pattern?: string;
    readonly "x-kubernetes-int-or-string"?: boolean;
}

/** One Calico version's policy CRD schemas. */
export interface CalicoCrdSchemas {
    readonly calicoVersion: string;
    readonly source: string;
    readonly read: string;
    readonly kinds: { readonly NetworkPolicy: CrdSchemaNode; readonly GlobalNetworkPolicy: CrdSchemaNode };
}

/** By Calico minor version: one JSON file per version beside this module (core/calico/calicoCrds/), data as read upstream. */
export const CALICO_CRD_SCHEMAS: Readonly<Record<"3.29" | "3.30" | "3.31", CalicoCrdSchemas>> = {
    "3.29": calico329,
    "3.30": calico330,
    "3.31": calico331,
};
