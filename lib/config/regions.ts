/**
 * AWS region names: their form, the regions this project knows per partition, and the prefix of
 * their availability zone ids. A region newer than this list is accepted when the configuration
 * names it in `additionalRegions`.
 */

/** The form of a region name, `ap-northeast-1`, `us-gov-west-1`, `us-isob-east-1`. */
export const REGION_FORM = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2}$/;

/**
 * The regions of the partitions this project supports, as AWS lists them ("AWS Regions" in the
 * AWS General Reference, and the SDKs' endpoint data), on 2026-12-01.
 */
export const KNOWN_REGIONS: Readonly<Record<"aws" | "aws-cn" | "aws-us-gov", readonly string[]>> = {
  aws: [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
    "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

/** Whether `region` is one of the known regions. */
export function isKnownRegion(region: string): boolean {
  return Object.values(KNOWN_REGIONS).some((regions) => regions.includes(region));
}

const DIRECTIONS: Record<string, string> = {
  north: "n", south: "s", east: "e", west: "w", central: "c",
  northeast: "ne", southeast: "se", northwest: "nw", southwest: "sw",
};

/** `ap-northeast-1` → `apne1`, the prefix of that region's AZ ids (`apne1-az4`). */
export function azIdPrefix(region: string): string {
  const [area, ...rest] = region.split("-");
  const number = rest.pop() ?? "";
  const middle = rest.map((part) => (part === "gov" ? "g" : DIRECTIONS[part] ?? part)).join("");
  return `${area}${middle}${number}`;
}
