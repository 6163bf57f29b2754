import { executeApiDomain, executeApiServiceName, partitionOf, unsupportedPartitionOf } from "../../lib/config/partition";

describe("partitions", () => {
  test.each([
    ["ap-northeast-1", "aws", "com.amazonaws.ap-northeast-1.execute-api", "execute-api.ap-northeast-1.amazonaws.com"],
    ["cn-north-1", "aws-cn", "cn.com.amazonaws.cn-north-1.execute-api", "execute-api.cn-north-1.amazonaws.com.cn"],
    ["us-gov-west-1", "aws-us-gov", "com.amazonaws.us-gov-west-1.execute-api", "execute-api.us-gov-west-1.amazonaws.com"],
  ])("%s: partition %s, endpoint service %s, API domain %s", (region, partition, service, domain) => {
    expect(partitionOf(region)?.name).toBe(partition);
    expect(executeApiServiceName(region)).toBe(service);
    expect(executeApiDomain(region)).toBe(domain);
  });

  test.each([["us-iso-east-1", "aws-iso"], ["us-isob-east-1", "aws-iso-b"], ["eu-isoe-west-1", "aws-iso-e"], ["us-isof-south-1", "aws-iso-f"]])(
    "%s is in %s, which is not supported",
    (region, partition) => {
      expect(partitionOf(region)).toBeUndefined();
      expect(unsupportedPartitionOf(region)).toBe(partition);
      expect(() => executeApiServiceName(region)).toThrow(`region ${region} is not in a supported partition`);
    },
  );
});
