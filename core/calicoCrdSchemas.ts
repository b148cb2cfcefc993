/**
 * Calico CRD schemas (crd.projectcalico.org/v1 NetworkPolicy and GlobalNetworkPolicy) for the Calico versions AKS
 * ships: 3.29 (AKS 1.32), 3.30 (AKS 1.33), 3.31 (AKS 1.35+). Data, not code: the `openAPIV3Schema` of each CRD,
 * copied from projectcalico/calico at the release tag named in `source`, with descriptions removed. The AKS
 * tigera-operator installs these same CRDs (REFERENCE.md section 2). Read 2026-12-01.
 * To refresh: take libcalico-go/config/crd/crd.projectcalico.org_{networkpolicies,globalnetworkpolicies}.yaml at
 * the new tag, spec.versions[name=v1].schema.openAPIV3Schema, drop every "description".
 */

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

/** By Calico minor version. */
export const CALICO_CRD_SCHEMAS: Readonly<Record<"3.29" | "3.30" | "3.31", CalicoCrdSchemas>> = {
 "3.29": {
  "calicoVersion": "v3.29.7",
  "source": "https://github.com/projectcalico/calico/tree/v3.29.7/libcalico-go/config/crd (commit 82fd18c202ac5400cd7760597a510de9d028b035), crd.projectcalico.org_networkpolicies.yaml and crd.projectcalico.org_globalnetworkpolicies.yaml, version v1 openAPIV3Schema, descriptions removed",
  "read": "2026-12-01",
  "kinds": {
   "NetworkPolicy": {
    "properties": {
     "apiVersion": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "spec": {
      "properties": {
       "egress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "ingress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "order": {
        "type": "number"
       },
       "performanceHints": {
        "items": {
         "type": "string"
        },
        "type": "array"
       },
       "selector": {
        "type": "string"
       },
       "serviceAccountSelector": {
        "type": "string"
       },
       "tier": {
        "type": "string"
       },
       "types": {
        "items": {
         "type": "string"
        },
        "type": "array"
       }
      },
      "type": "object"
     }
    },
    "type": "object"
   },
   "GlobalNetworkPolicy": {
    "properties": {
     "apiVersion": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "spec": {
      "properties": {
       "applyOnForward": {
        "type": "boolean"
       },
       "doNotTrack": {
        "type": "boolean"
       },
       "egress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "ingress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "namespaceSelector": {
        "type": "string"
       },
       "order": {
        "type": "number"
       },
       "performanceHints": {
        "items": {
         "type": "string"
        },
        "type": "array"
       },
       "preDNAT": {
        "type": "boolean"
       },
       "selector": {
        "type": "string"
       },
       "serviceAccountSelector": {
        "type": "string"
       },
       "tier": {
        "type": "string"
       },
       "types": {
        "items": {
         "type": "string"
        },
        "type": "array"
       }
      },
      "type": "object"
     }
    },
    "type": "object"
   }
  }
 },
 "3.30": {
  "calicoVersion": "v3.30.7",
  "source": "https://github.com/projectcalico/calico/tree/v3.30.7/libcalico-go/config/crd (commit 74485ea40911c4868ae83ddb5da489c1533d1dba), crd.projectcalico.org_networkpolicies.yaml and crd.projectcalico.org_globalnetworkpolicies.yaml, version v1 openAPIV3Schema, descriptions removed",
  "read": "2026-12-01",
  "kinds": {
   "NetworkPolicy": {
    "properties": {
     "apiVersion": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "spec": {
      "properties": {
       "egress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "ingress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "order": {
        "type": "number"
       },
       "performanceHints": {
        "items": {
         "type": "string"
        },
        "type": "array"
       },
       "selector": {
        "type": "string"
       },
       "serviceAccountSelector": {
        "type": "string"
       },
       "tier": {
        "type": "string"
       },
       "types": {
        "items": {
         "type": "string"
        },
        "type": "array"
       }
      },
      "type": "object"
     }
    },
    "type": "object"
   },
   "GlobalNetworkPolicy": {
    "properties": {
     "apiVersion": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "spec": {
      "properties": {
       "applyOnForward": {
        "type": "boolean"
       },
       "doNotTrack": {
        "type": "boolean"
       },
       "egress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "ingress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "namespaceSelector": {
        "type": "string"
       },
       "order": {
        "type": "number"
       },
       "performanceHints": {
        "items": {
         "type": "string"
        },
        "type": "array"
       },
       "preDNAT": {
        "type": "boolean"
       },
       "selector": {
        "type": "string"
       },
       "serviceAccountSelector": {
        "type": "string"
       },
       "tier": {
        "type": "string"
       },
       "types": {
        "items": {
         "type": "string"
        },
        "type": "array"
       }
      },
      "type": "object"
     }
    },
    "type": "object"
   }
  }
 },
 "3.31": {
  "calicoVersion": "v3.31.7",
  "source": "https://github.com/projectcalico/calico/tree/v3.31.7/libcalico-go/config/crd (commit 94bd1d5b0e04459d4d1c83653e0335a9201248b8), crd.projectcalico.org_networkpolicies.yaml and crd.projectcalico.org_globalnetworkpolicies.yaml, version v1 openAPIV3Schema, descriptions removed",
  "read": "2026-12-01",
  "kinds": {
   "NetworkPolicy": {
    "properties": {
     "apiVersion": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "spec": {
      "properties": {
       "egress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "ingress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "order": {
        "type": "number"
       },
       "performanceHints": {
        "items": {
         "type": "string"
        },
        "type": "array"
       },
       "selector": {
        "type": "string"
       },
       "serviceAccountSelector": {
        "type": "string"
       },
       "tier": {
        "type": "string"
       },
       "types": {
        "items": {
         "type": "string"
        },
        "type": "array"
       }
      },
      "type": "object"
     }
    },
    "type": "object"
   },
   "GlobalNetworkPolicy": {
    "properties": {
     "apiVersion": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "metadata": {
      "type": "object"
     },
     "spec": {
      "properties": {
       "applyOnForward": {
        "type": "boolean"
       },
       "doNotTrack": {
        "type": "boolean"
       },
       "egress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "ingress": {
        "items": {
         "properties": {
          "action": {
           "type": "string"
          },
          "destination": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "http": {
           "properties": {
            "methods": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "paths": {
             "items": {
              "properties": {
               "exact": {
                "type": "string"
               },
               "prefix": {
                "type": "string"
               }
              },
              "type": "object"
             },
             "type": "array"
            }
           },
           "type": "object"
          },
          "icmp": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "ipVersion": {
           "type": "integer"
          },
          "metadata": {
           "properties": {
            "annotations": {
             "additionalProperties": {
              "type": "string"
             },
             "type": "object"
            }
           },
           "type": "object"
          },
          "notICMP": {
           "properties": {
            "code": {
             "type": "integer"
            },
            "type": {
             "type": "integer"
            }
           },
           "type": "object"
          },
          "notProtocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "protocol": {
           "anyOf": [
            {
             "type": "integer"
            },
            {
             "type": "string"
            }
           ],
           "pattern": "^.*",
           "x-kubernetes-int-or-string": true
          },
          "source": {
           "properties": {
            "namespaceSelector": {
             "type": "string"
            },
            "nets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notNets": {
             "items": {
              "type": "string"
             },
             "type": "array"
            },
            "notPorts": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "notSelector": {
             "type": "string"
            },
            "ports": {
             "items": {
              "anyOf": [
               {
                "type": "integer"
               },
               {
                "type": "string"
               }
              ],
              "pattern": "^.*",
              "x-kubernetes-int-or-string": true
             },
             "type": "array"
            },
            "selector": {
             "type": "string"
            },
            "serviceAccounts": {
             "properties": {
              "names": {
               "items": {
                "type": "string"
               },
               "type": "array"
              },
              "selector": {
               "type": "string"
              }
             },
             "type": "object"
            },
            "services": {
             "properties": {
              "name": {
               "type": "string"
              },
              "namespace": {
               "type": "string"
              }
             },
             "type": "object"
            }
           },
           "type": "object"
          }
         },
         "required": [
          "action"
         ],
         "type": "object"
        },
        "type": "array"
       },
       "namespaceSelector": {
        "type": "string"
       },
       "order": {
        "type": "number"
       },
       "performanceHints": {
        "items": {
         "type": "string"
        },
        "type": "array"
       },
       "preDNAT": {
        "type": "boolean"
       },
       "selector": {
        "type": "string"
       },
       "serviceAccountSelector": {
        "type": "string"
       },
       "tier": {
        "type": "string"
       },
       "types": {
        "items": {
         "type": "string"
        },
        "type": "array"
       }
      },
      "type": "object"
     }
    },
    "type": "object"
   }
  }
 }
};
