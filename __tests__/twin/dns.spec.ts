import { answer, resolverView } from "../../emulated/twin/dns";
import { buildModel } from "../../emulated/twin/model";
import { IDS, recorded } from "./recorded";

const addresses = (result: ReturnType<typeof answer>) => result.answers.filter((r) => r.type === "A").map((r) => r.data).sort();

describe("a VPC's resolver", () => {
  const model = buildModel(recorded());
  const inA = resolverView(model, IDS.vpcA);
  const inB = resolverView(model, IDS.vpcB);

  test("in A, the API's name is A's private hosted zone's alias: B's endpoint addresses", () => {
    const result = answer(inA, IDS.apiHost, "A");
    expect(result.rcode).toBe("NOERROR");
    expect(addresses(result)).toEqual(IDS.endpointAddresses);
  });

  test("in A, another execute-api name is NXDOMAIN (A has no endpoint with private DNS; nothing is forwarded)", () => {
    expect(answer(inA, "abcdefghij.execute-api.ap-northeast-1.amazonaws.com", "A")).toEqual({ rcode: "NXDOMAIN", answers: [] });
    expect(answer(inA, "example.com", "A").rcode).toBe("NXDOMAIN");
  });

  test("the <api-id>-<vpce-id> name and the endpoint's vpce names are public: every VPC resolves them", () => {
    expect(addresses(answer(inA, `${IDS.api}-${IDS.endpoint}.execute-api.ap-northeast-1.amazonaws.com`, "A"))).toEqual(IDS.endpointAddresses);
    expect(addresses(answer(inA, IDS.regionalName, "A"))).toEqual(IDS.endpointAddresses);
    const zonal = answer(inA, IDS.regionalName.replace(".execute-api", "-ap-northeast-1a.execute-api"), "A");
    expect(addresses(zonal)).toEqual(["172.31.13.31"]);
  });

  test("in B, private DNS answers the API's name with a CNAME to execute-api.<region>.amazonaws.com and its addresses (the article's dig)", () => {
    const result = answer(inB, IDS.apiHost, "A");
    expect(result.answers[0]).toEqual({ name: IDS.apiHost, type: "CNAME", ttl: 60, data: "execute-api.ap-northeast-1.amazonaws.com" });
    expect(addresses(result)).toEqual(IDS.endpointAddresses);
  });

  test("an AAAA question for a name that exists is NOERROR with no answer", () => {
    expect(answer(inA, IDS.apiHost, "AAAA")).toEqual({ rcode: "NOERROR", answers: [] });
  });

  test("GIVEN private DNS off on B's endpoint THEN B's callers get NXDOMAIN for the API's name", () => {
    const reads = recorded();
    reads[1].endpoints[0].PrivateDnsEnabled = false;
    expect(answer(resolverView(buildModel(reads), IDS.vpcB), IDS.apiHost, "A").rcode).toBe("NXDOMAIN");
  });

  test("GIVEN A's zone aliasing another name THEN A's answer has no address: the alias leads nowhere", () => {
    const reads = recorded();
    reads[0].hostedZones[0].records.find((r) => r.Type === "A")!.AliasTarget!.DNSName = "vpce-0000-wrong.execute-api.ap-northeast-1.vpce.amazonaws.com";
    expect(answer(resolverView(buildModel(reads), IDS.vpcA), IDS.apiHost, "A")).toEqual({ rcode: "NXDOMAIN", answers: [] });
  });

  test("GIVEN A with an execute-api endpoint of its own (private DNS on) THEN A's zone still wins for the API's name, and the alias name reaches A's own endpoint", () => {
    const reads = recorded();
    const [a, b] = reads;
    a.endpoints.push({ ...JSON.parse(JSON.stringify(b.endpoints[0])), VpcEndpointId: "vpce-0aaaaaaaaaaaaaaaa", VpcId: IDS.vpcA, NetworkInterfaceIds: ["eni-0aaaaaaaaaaaaaaaa"], DnsEntries: [] });
    a.networkInterfaces.push({ NetworkInterfaceId: "eni-0aaaaaaaaaaaaaaaa", SubnetId: IDS.subnetA, PrivateIpAddress: "10.0.0.50", Groups: [] });
    const view = resolverView(buildModel(reads), IDS.vpcA);
    expect(addresses(answer(view, IDS.apiHost, "A"))).toEqual(IDS.endpointAddresses);
    expect(addresses(answer(view, `${IDS.api}-${IDS.endpoint}.execute-api.ap-northeast-1.amazonaws.com`, "A"))).toEqual(["10.0.0.50"]);
  });
});
