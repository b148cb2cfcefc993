/**
 * Azure public-cloud regions that take resources (physical regions), by the name ARM uses (`location`).
 * Source: the physical regions `az account list-locations --query "[?metadata.regionType=='Physical'].name"` returns
 * (Azure docs, "List of Azure regions"), cross-checked on 2026-12-01 against public lists of ARM location names
 * (Azure Verified Modules' region data among them), since this machine has no Azure access, and against the
 * programmatic names of Microsoft's "Azure regions list" (MicrosoftDocs/reliability-docs
 * articles/reliability/regions-list.md, commit e92155a, read 2026-12-01), which added India South Central.
 * Restricted-access regions (e.g. Jio India, Sweden South, Norway West) are listed too: ARM knows them, and
 * whether a subscription may use one is Azure's call. A region missing here is refused at validation; add it
 * here when Azure opens it.
 */
export const AZURE_REGIONS_SOURCE = "Azure docs, List of Azure regions, read 2026-12-01";

export const AZURE_REGIONS: readonly string[] = [
    "australiacentral",
    "australiacentral2",
    "australiaeast",
    "australiasoutheast",
    "austriaeast",
    "belgiumcentral",
    "brazilsouth",
    "brazilsoutheast",
    "canadacentral",
    "canadaeast",
    "centralindia",
    "centralus",
    "chilecentral",
    "denmarkeast",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "francesouth",
    "germanynorth",
    "germanywestcentral",
    "indiasouthcentral",
    "indonesiacentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "jioindiacentral",
    "jioindiawest",
    "koreacentral",
    "koreasouth",
    "malaysiawest",
    "mexicocentral",
    "newzealandnorth",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "norwaywest",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southafricawest",
    "southcentralus",
    "southeastasia",
    "southindia",
    "spaincentral",
    "swedencentral",
    "swedensouth",
    "switzerlandnorth",
    "switzerlandwest",
    "uaecentral",
    "uaenorth",
    "uksouth",
    "ukwest",
    "westcentralus",
    "westeurope",
    "westindia",
    "westus",
    "westus2",
    "westus3",
];

/** Whether ARM knows the region name. */
export function isAzureRegion(name: string): boolean {
    return AZURE_REGIONS.includes(name);
}

/** Known regions closest in spelling to a mistyped one (edit distance <= 3), for "did you mean". */
export function regionsLike(name: string): string[] {
    return AZURE_REGIONS.map((region) => ({ region, distance: editDistance(name, region) }))
        .filter((candidate) => candidate.distance <= 3)
        .sort((a, b) => a.distance - b.distance || a.region.localeCompare(b.region))
        .slice(0, 3)
        .map((candidate) => candidate.region);
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
