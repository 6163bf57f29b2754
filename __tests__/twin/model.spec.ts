import { buildModel, stageRoutes } from "../../emulated/twin/model";
import { IDS, recorded } from "./recorded";

describe("buildModel", () => {
  test("GIVEN the rollout's accounts WHEN modelled THEN default VPCs are left out and each VPC's resolver is its base + 2", () => {
    const model = buildModel(recorded());
    expect(model.vpcs.map((v) => [v.id, v.cidr, v.resolver]).sort()).toEqual([
      [IDS.vpcA, "10.0.0.0/16", "10.0.0.2"],
      [IDS.vpcB, "172.31.0.0/16", "172.31.0.2"],
    ]);
    expect(model.problems).toEqual([]);
  });

  test("A's client subnet uses its explicitly associated table, which routes B's CIDR through the active peering", () => {
    const model = buildModel(recorded());
    const subnet = model.subnets.find((s) => s.id === IDS.subnetA)!;
    expect(subnet.routeTableId).toBe(IDS.routeTableA);
    const routes = model.routeTables.find((t) => t.id === IDS.routeTableA)!.routes;
    expect(routes).toContainEqual({ destination: "172.31.0.0/16", target: { kind: "peering", peeringId: IDS.peering, peerVpcId: IDS.vpcB } });
    expect(routes).toContainEqual({ destination: "10.0.0.0/16", target: { kind: "local" } });
  });

  test("GIVEN the peering still pending acceptance THEN A's route to B is a blackhole that says so", () => {
    const reads = recorded();
    for (const read of reads) for (const p of read.peerings) p.Status = { Code: "pending-acceptance" };
    const routes = buildModel(reads).routeTables.find((t) => t.id === IDS.routeTableA)!.routes;
    expect(routes.find((r) => r.destination === "172.31.0.0/16")!.target).toEqual({ kind: "blackhole", why: `peering ${IDS.peering} is pending-acceptance, not active` });
  });

  test("GIVEN the peering deleted from both accounts THEN the route's target is gone: a blackhole", () => {
    const reads = recorded();
    for (const read of reads) (read as any).peerings = [];
    const routes = buildModel(reads).routeTables.find((t) => t.id === IDS.routeTableA)!.routes;
    expect(routes.find((r) => r.destination === "172.31.0.0/16")!.target.kind).toBe("blackhole");
  });

  test("a subnet without an explicit association uses its VPC's main table", () => {
    const reads = recorded();
    const a = reads[0];
    const table = a.routeTables.find((t) => t.RouteTableId === IDS.routeTableA)!;
    table.Associations = table.Associations!.filter((x) => x.SubnetId !== IDS.subnetA);
    const main = a.routeTables.find((t) => t.VpcId === IDS.vpcA && t.Associations!.some((x) => x.Main))!;
    expect(buildModel(reads).subnets.find((s) => s.id === IDS.subnetA)!.routeTableId).toBe(main.RouteTableId);
  });

  test("B's endpoint: an interface in each subnet with its address, private DNS on, its policy parsed, its names regional first", () => {
    const endpoint = buildModel(recorded()).endpoints.find((e) => e.id === IDS.endpoint)!;
    expect(endpoint.interfaces.map((i) => i.address).sort()).toEqual(IDS.endpointAddresses);
    expect(endpoint.privateDns).toBe(true);
    expect(endpoint.dnsNames[0]).toBe(IDS.regionalName);
    expect((endpoint.policy as any).Statement[0].Action).toBe("execute-api:Invoke");
  });

  test("GIVEN an interface address outside its subnet (moto without the correction) THEN it is a problem, not a host", () => {
    const reads = recorded();
    reads[1].networkInterfaces[0].PrivateIpAddress = "10.123.4.5";
    const model = buildModel(reads);
    expect(model.problems).toEqual([expect.stringMatching(/has the address 10\.123\.4\.5, outside its subnet/)]);
    expect(model.hosts.some((h) => h.address === "10.123.4.5")).toBe(false);
  });

  test("A's private hosted zone: associated with A's VPC, its apex an alias of B's endpoint's regional name", () => {
    const zone = buildModel(recorded()).zones[0];
    expect(zone.name).toBe(IDS.apiHost);
    expect(zone.vpcIds).toEqual([IDS.vpcA]);
    expect(zone.records.find((r) => r.type === "A")!.alias!.dnsName).toBe(IDS.regionalName);
  });

  test("the API's stage: what its deployment serves (MOCK routes) and the policy as deployed", () => {
    const api = buildModel(recorded()).apis[0];
    expect(api.types).toEqual(["PRIVATE"]);
    expect(api.vpcEndpointIds).toEqual([IDS.endpoint]);
    const stage = api.stages[0];
    expect(stage.routes!.map((r) => `${r.method} ${r.path} ${r.integration?.type}`).sort()).toEqual(["GET /pets MOCK", "GET /pets/{petId} MOCK"]);
    expect((stage.policy as any).Statement.map((s: any) => s.Sid)).toEqual(["AllowInvoke", "DenyOtherEndpoints", "DenyOtherSourceRanges"]);
  });

  test("hosts: a client per subnet at its last usable address with the VPC's default group; the canary in its first subnet with its own group", () => {
    const model = buildModel(recorded());
    const client = model.hosts.find((h) => h.id === `client:${IDS.subnetA}`)!;
    expect(client.address).toBe("10.0.15.254");
    expect(client.securityGroups).toEqual([model.vpcs.find((v) => v.id === IDS.vpcA)!.defaultSecurityGroup]);
    const canary = model.hosts.find((h) => h.kind === "function")!;
    expect([canary.functionName, canary.subnetId, canary.address]).toEqual([IDS.canary, IDS.canarySubnet, "10.0.31.253"]);
    expect(model.securityGroups.find((g) => g.id === canary.securityGroups[0])!.egress).toEqual([{ protocol: 6, ports: [443, 443], cidrs: ["172.31.0.0/16"], groups: [] }]);
  });
});

describe("buildModel: other network interfaces", () => {
  test("GIVEN an instance's interface made with the SDK THEN it is a host of its own, with its address and groups", () => {
    const reads = recorded();
    reads[0].networkInterfaces.push({ NetworkInterfaceId: "eni-0123456789abcdef0", SubnetId: IDS.subnetA, PrivateIpAddress: "10.0.3.7", Groups: [{ GroupId: "sg-0123" }] });
    expect(buildModel(reads).hosts.find((h) => h.id === "eni-0123456789abcdef0")).toMatchObject({ kind: "interface", address: "10.0.3.7", securityGroups: ["sg-0123"], vpcId: IDS.vpcA });
  });
});

describe("stageRoutes", () => {
  test("reads methods and their integrations from an export, skipping path-level parameters", () => {
    const routes = stageRoutes({ paths: { "/x/{id}": { parameters: [], get: { "x-amazon-apigateway-integration": { type: "http_proxy", responses: {} } } } } });
    expect(routes).toEqual([{ path: "/x/{id}", method: "GET", integration: { type: "HTTP_PROXY", requestTemplates: {}, passthroughBehavior: undefined, responses: [] } }]);
  });
});
