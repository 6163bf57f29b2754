"""The project's launcher of moto server 5.2.3, the AWS emulator of `npm run test:emulated`.

It starts moto's own server application on a loopback port after correcting, in moto's classes,
the ways moto 5.2.3 answers differently from AWS where these stacks notice: each correction below
names the AWS behaviour it restores and where it is documented. The stacks are never bent to the
emulator; the emulator is brought to AWS's behaviour here. `emulated/fidelity.ts` tests each
correction on its own, against this launcher and against moto with that correction left out.

    python3 moto_launcher.py [--port N] [--without NAME ...] [--list]

Prints `listening on http://127.0.0.1:<port>` once the server accepts requests. Nothing but
127.0.0.1 is ever bound. `--without` leaves a correction out (the fidelity tests use it to show
the difference is still moto's); `--list` prints the corrections and exits.
"""

import argparse
import contextvars
import json
import os
import re
import sys
import threading
from urllib.parse import unquote

CORRECTIONS = {}

# Whether each installed correction is in effect. The fidelity tests turn one off at a time on a
# running emulator (POST /_emulator/corrections) instead of starting an emulator without it: one
# emulator start instead of one per correction.
ENABLED = {}

# The correction whose patches are being installed (see `wrap`).
INSTALLING = [None]


def correction(name):
    """Registers a correction: a function that patches moto, documented with the AWS behaviour."""

    def register(function):
        def install():
            INSTALLING[0] = name
            try:
                function()
            finally:
                INSTALLING[0] = None
            ENABLED[name] = True

        install.__doc__ = function.__doc__
        CORRECTIONS[name] = install
        return function

    return register


def wrap(owner, attribute, make):
    """Replaces `owner.attribute` with `make(original)`; for a correction, only while it is enabled
    (the original runs otherwise, exactly as moto without the correction)."""
    original = getattr(owner, attribute)
    patched = make(original)
    name = INSTALLING[0]
    if name is None:
        setattr(owner, attribute, patched)
        return

    def dispatch(*args, **kwargs):
        return (patched if ENABLED.get(name) else original)(*args, **kwargs)

    dispatch.__name__ = getattr(original, "__name__", attribute)
    setattr(owner, attribute, dispatch)


@correction("rest-api-policy-escaped")
def rest_api_policy_escaped():
    """AWS returns a REST API's `policy` (GetRestApi, CreateRestApi, UpdateRestApi) as a JSON string
    whose quotes are backslash-escaped, `{\\"Version\\":...}`. hashicorp/aws reads it that way: its
    aws_api_gateway_rest_api_policy read does strconv.Unquote(`"` + policy + `"`)
    (internal/service/apigateway/rest_api_policy.go). moto returns the plain JSON, and the provider's
    read fails with `invalid character 'S' after top-level value`."""
    from moto.apigateway.models import RestAPI

    def make(original):
        def to_dict(self):
            result = original(self)
            if result.get("policy"):
                result["policy"] = json.dumps(result["policy"])[1:-1]
            return result

        return to_dict

    wrap(RestAPI, "to_dict", make)


PEERING_FILTERS = {
    "vpc-peering-connection-id": lambda pcx: [pcx.id],
    "status-code": lambda pcx: [pcx._status.code],
    "status-message": lambda pcx: [pcx._status.message],
    "requester-vpc-info.owner-id": lambda pcx: [pcx.vpc.owner_id],
    "requester-vpc-info.vpc-id": lambda pcx: [pcx.vpc.id],
    "requester-vpc-info.cidr-block": lambda pcx: [pcx.vpc.cidr_block],
    "accepter-vpc-info.owner-id": lambda pcx: [pcx.peer_vpc.owner_id],
    "accepter-vpc-info.vpc-id": lambda pcx: [pcx.peer_vpc.id],
    "accepter-vpc-info.cidr-block": lambda pcx: [pcx.peer_vpc.cidr_block],
}

# The EC2 backend of the account and region a request is answered for (see peering-tags-per-account).
CALLER_BACKEND = contextvars.ContextVar("caller_backend", default=None)


def peering_tags(pcx, backend=None):
    """The peering connection's tags as the calling account sees them (see peering-tags-per-account)."""
    backend = backend or CALLER_BACKEND.get() or pcx.ec2_backend
    return {t["key"]: t["value"] for t in backend.describe_tags(filters={"resource-id": [pcx.id]})}


@correction("peering-filters")
def peering_filters():
    """AWS applies DescribeVpcPeeringConnections' `Filters` (EC2 API reference,
    DescribeVpcPeeringConnections: status-code, requester-vpc-info.owner-id / vpc-id / cidr-block,
    accepter-vpc-info.*, tag:<key>, tag-key, vpc-peering-connection-id); several values of one
    filter match any of them, several filters must all match. moto ignores `Filters` and answers
    every connection of the account and region, so account B's look-up would see every peering."""
    from moto.ec2.responses.vpc_peering_connections import VPCPeeringConnections

    def matches(pcx, name, values):
        if name.startswith("tag:"):
            value = peering_tags(pcx).get(name[4:])
            return value is not None and value in values
        if name == "tag-key":
            return any(key in values for key in peering_tags(pcx))
        get = PEERING_FILTERS.get(name)
        if get is None:
            raise NotImplementedError(f"DescribeVpcPeeringConnections filter {name} is not emulated")
        return any(value in values for value in get(pcx))

    def make(original):
        def describe(self):
            filters = self._filters_from_querystring()
            backend = self.ec2_backend
            ids = self._get_param("VpcPeeringConnectionIds", [])
            found = backend.describe_vpc_peering_connections(vpc_peering_ids=ids)
            kept = [pcx for pcx in found if all(matches(pcx, name, values) for name, values in filters.items())]
            from moto.core.responses import ActionResult

            return ActionResult({"VpcPeeringConnections": kept})

        return describe

    wrap(VPCPeeringConnections, "describe_vpc_peering_connections", make)


@correction("peering-tags-per-account")
def peering_tags_per_account():
    """AWS keeps a peering connection's tags per account: the requester's account and the
    accepter's account each see and set their own (Amazon VPC Peering Guide, "Tag a VPC peering
    connection": tags are visible only to the account that creates them; a cross-account
    accepter does not see the requester's). moto writes the accepter's tags to its own account
    but reads every account's view from the requester's, so the accepter plans a tag update on
    every deploy."""
    from moto.core.responses import ActionResult
    from moto.ec2.models.vpc_peering_connections import VPCPeeringConnection
    from moto.ec2.responses.vpc_peering_connections import VPCPeeringConnections

    class AsSeenBy:
        """A peering connection whose tags are those of the account that asks (results are
        serialized after the response method returns, so the view is fixed here)."""

        def __init__(self, pcx, backend):
            self._pcx = pcx
            self._tags = [{"key": k, "value": v, "resource_id": pcx.id, "resource_type": "vpc-peering-connection"} for k, v in peering_tags(pcx, backend).items()]

        def __getattr__(self, name):
            return getattr(self._pcx, name)

        def get_tags(self):
            return self._tags

        tag_set = property(get_tags)
        tag_list = property(get_tags)

    def view(value, backend):
        if isinstance(value, VPCPeeringConnection):
            return AsSeenBy(value, backend)
        if isinstance(value, list):
            return [view(item, backend) for item in value]
        if isinstance(value, dict):
            return {key: view(item, backend) for key, item in value.items()}
        return value

    def make(original):
        def answered_for_caller(self):
            token = CALLER_BACKEND.set(self.ec2_backend)
            try:
                result = original(self)
            finally:
                CALLER_BACKEND.reset(token)
            return ActionResult(view(result.result, self.ec2_backend)) if isinstance(result, ActionResult) else result

        return answered_for_caller

    for action in ["create_vpc_peering_connection", "describe_vpc_peering_connections", "accept_vpc_peering_connection"]:
        wrap(VPCPeeringConnections, action, make)


@correction("private-zone-from-vpc")
def private_zone_from_vpc():
    """AWS creates a private hosted zone when CreateHostedZone names a `VPC` (Route 53 API
    reference, CreateHostedZone: "VPC — (Private hosted zones only) ... associating with this
    hosted zone"; hashicorp/aws sends the VPC and no HostedZoneConfig.PrivateZone). moto makes
    the zone private only with PrivateZone=true: GetHostedZone then lists no VPC and the zone
    plans to add its `vpc` block on every plan."""
    from moto.route53.responses import Route53

    def make(original):
        def create_hosted_zone(self):
            params = self.params
            if params.get("VPC", {}).get("VPCId") and "PrivateZone" not in params.get("HostedZoneConfig", {}):
                params.setdefault("HostedZoneConfig", {})["PrivateZone"] = True
            return original(self)

        return create_hosted_zone

    wrap(Route53, "create_hosted_zone", make)


@correction("subnet-not-default-outside-default-vpc")
def subnet_not_default_outside_default_vpc():
    """AWS marks a subnet "default for its zone" (DefaultForAz, which also maps public IPs on
    launch) only in the default VPC: a subnet created in any other VPC has DefaultForAz false and
    MapPublicIpOnLaunch false unless that attribute is set (EC2 API reference, Subnet: "DefaultForAz
    — Indicates whether this is the default subnet for the Availability Zone"; VPC user guide,
    "Default subnets"). moto marks the first subnet of a zone, in any VPC, default for its zone
    with public IPs on launch, and every subnet created by zone *id* too (its zone key is empty):
    hashicorp/aws then turns MapPublicIpOnLaunch off again and waits about 10 s per subnet."""
    from moto.ec2.models.subnets import SubnetBackend

    def make(original):
        def create_subnet(self, vpc_id, *args, **kwargs):
            subnet = original(self, vpc_id, *args, **kwargs)
            if not self.get_vpc(vpc_id).is_default:
                subnet.default_for_az = False
                subnet.map_public_ip_on_launch = False
            return subnet

        return create_subnet

    wrap(SubnetBackend, "create_subnet", make)


@correction("openapi-import-integrations")
def openapi_import_integrations():
    """AWS imports every method's x-amazon-apigateway-integration from an OpenAPI definition
    (PutRestApi, ImportRestApi): a MOCK integration needs no `uri` and no `httpMethod` (API Gateway
    developer guide, "x-amazon-apigateway-integration object": uri and httpMethod are for HTTP and
    AWS integrations), and the integration's type reads back in upper case, `MOCK`, `HTTP_PROXY`
    (API reference, Integration.type: "HTTP | AWS | MOCK | HTTP_PROXY | AWS_PROXY"). moto's
    import calls its put_integration without the `uri` and `integration_method` arguments it
    requires when the definition has none (a TypeError, answered 500, which hashicorp/aws retries
    until the apply times out) and stores the type as the file writes it."""
    from moto.apigateway.models import APIGatewayBackend

    def make(original):
        def put_integration(self, function_id, resource_id, method_type, integration_type, uri=None, integration_method=None, *args, **kwargs):
            return original(self, function_id, resource_id, method_type, (integration_type or "").upper(), uri, integration_method, *args, **kwargs)

        return put_integration

    wrap(APIGatewayBackend, "put_integration", make)


@correction("lambda-logging-config")
def lambda_logging_config():
    """AWS Lambda functions have a `LoggingConfig`, set by CreateFunction and
    UpdateFunctionConfiguration and returned by GetFunction(Configuration); without one it is
    {"LogFormat": "Text", "LogGroup": "/aws/lambda/<function name>"} (Lambda API reference,
    LoggingConfig; Lambda developer guide, "Configuring advanced logging controls"). moto ignores
    it, so the canary plans to add `logging_config` on every plan."""
    from moto.awslambda.models import LambdaFunction

    def default(function):
        return {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function.function_name}"}

    def make_init(original):
        def __init__(self, account_id, spec, *args, **kwargs):
            original(self, account_id, spec, *args, **kwargs)
            self.logging_config = {**default(self), **(spec.get("LoggingConfig") or {})}

        return __init__

    def make_update(original):
        def update_configuration(self, config_updates):
            if "LoggingConfig" in config_updates:
                self.logging_config = {**default(self), **(config_updates["LoggingConfig"] or {})}
            return original(self, config_updates)

        return update_configuration

    def make_get(original):
        def get_configuration(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            result["LoggingConfig"] = getattr(self, "logging_config", None) or default(self)
            return result

        return get_configuration

    wrap(LambdaFunction, "__init__", make_init)
    wrap(LambdaFunction, "update_configuration", make_update)
    wrap(LambdaFunction, "get_configuration", make_get)


@correction("account-role-cleared")
def account_role_cleared():
    """AWS clears the region's API Gateway CloudWatch role when UpdateAccount sends
    `replace /cloudwatchRoleArn` with no value or an empty one (what hashicorp/aws sends for an
    aws_api_gateway_account without cloudwatch_role_arn, and for reset_on_delete); GetAccount
    then has no cloudwatchRoleArn. moto raises KeyError: 'value' (a 500), which the provider
    retries until the apply times out."""
    from moto.apigateway.models import Account

    def make(original):
        def apply_patch_operations(self, patch_operations):
            rest = []
            for op in patch_operations:
                if op.get("op") == "replace" and op.get("path") == "/cloudwatchRoleArn" and not op.get("value"):
                    self.cloudwatch_role_arn = None
                else:
                    rest.append(op)
            return original(self, rest)

        return apply_patch_operations

    wrap(Account, "apply_patch_operations", make)


@correction("cloudformation-apigateway-account")
def cloudformation_apigateway_account():
    """AWS CloudFormation's AWS::ApiGateway::Account sets the region's API Gateway CloudWatch
    role to its CloudWatchRoleArn (CloudFormation user guide, AWS::ApiGateway::Account). moto has
    no such resource type: it skips it and the stack completes without touching the setting."""
    from moto.apigateway.models import apigateway_backends
    from moto.core.common_models import CloudFormationModel

    class ApiGatewayAccount(CloudFormationModel):
        # moto files models by the service their module is in.
        __module__ = "moto.apigateway.models"

        def __init__(self, account_id, region_name, role_arn):
            self.account_id = account_id
            self.region_name = region_name
            self.role_arn = role_arn

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return "AWS::ApiGateway::Account"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            role_arn = cloudformation_json.get("Properties", {}).get("CloudWatchRoleArn")
            # Turned off, the resource does nothing, as moto's skipped resource type does.
            if ENABLED.get("cloudformation-apigateway-account"):
                apigateway_backends[account_id][region_name].account.cloudwatch_role_arn = role_arn
            return cls(account_id, region_name, role_arn)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            # Deleting the resource leaves the setting as it is (there is no API to unset it).
            return None

        @property
        def physical_resource_id(self):
            return f"{self.account_id}-{self.region_name}-apigateway-account"

    # Registered before CloudFormation's model map is first built (it is cached).
    CORRECTIONS_KEEP.append(ApiGatewayAccount)


@correction("retain-except-on-create")
def retain_except_on_create():
    """AWS CloudFormation keeps a resource whose DeletionPolicy is RetainExceptOnCreate when its
    stack is deleted, and deletes it only when the stack's own creation fails and rolls back
    (CloudFormation user guide, "DeletionPolicy attribute"). moto retains only `Retain` and
    deletes such resources with the stack."""
    from moto.cloudformation.parsing import ResourceMap

    def make(original):
        def delete(self):
            for resource in self._resource_json_map.values():
                if isinstance(resource, dict) and resource.get("DeletionPolicy") == "RetainExceptOnCreate":
                    resource["DeletionPolicy"] = "Retain"
            return original(self)

        return delete

    wrap(ResourceMap, "delete", make)


@correction("endpoint-dns-names")
def endpoint_dns_names():
    """AWS names an interface endpoint `vpce-<id>-<suffix>.<service>.<region>.vpce.amazonaws.com`
    (regional, listed first) and `vpce-<id>-<suffix>-<zone>.<service>.<region>.vpce.amazonaws.com`
    (one per zone) (PrivateLink guide, "DNS names for interface endpoints"; the seed article's
    names). moto names it `vpce-<id>-<suffix>.com.amazonaws.<region>.<service>`, a name AWS never
    gives, which would reach the outputs and the canary's targets."""
    from moto.ec2.models import vpcs

    def make(original):
        def create_vpc_endpoint(self, vpc_id, service_name, endpoint_type, *args, **kwargs):
            endpoint = original(self, vpc_id, service_name, endpoint_type, *args, **kwargs)
            if endpoint_type and endpoint_type.lower() == "interface" and endpoint.dns_entries:
                prefix, _, rest = service_name.partition(".amazonaws.")
                region, _, service = rest.partition(".")
                suffix = "amazonaws.com.cn" if prefix == "cn.com" else "amazonaws.com"
                regional = endpoint.dns_entries[0]
                label = regional["dns_name"].split(".")[0]
                zone_id = regional["hosted_zone_id"]
                entries = [{"dns_name": f"{label}.{service}.{region}.vpce.{suffix}", "hosted_zone_id": zone_id}]
                for subnet_id in endpoint.subnet_ids or []:
                    zone = self.get_subnet(subnet_id).availability_zone
                    entries.append({"dns_name": f"{label}-{zone}.{service}.{region}.vpce.{suffix}", "hosted_zone_id": zone_id})
                endpoint.dns_entries = entries
            return endpoint

        return create_vpc_endpoint

    wrap(vpcs.VPCBackend, "create_vpc_endpoint", make)


def free_subnet_address(backend, subnet):
    """A private address of `subnet` that no network interface holds, never one AWS reserves (the
    first four and the last of every subnet: Amazon VPC user guide, "Subnet CIDR blocks")."""
    import ipaddress
    import random

    network = ipaddress.ip_network(subnet.cidr_block)
    used = {address.get("PrivateIpAddress") for eni in backend.enis.values() for address in eni.private_ip_addresses}
    used |= {eni.private_ip_address for eni in backend.enis.values()}
    first, last = int(network.network_address) + 4, int(network.broadcast_address) - 1
    if last < first:
        raise ValueError(f"subnet {subnet.id} ({subnet.cidr_block}) has no address to give")
    for _ in range(64):
        candidate = str(ipaddress.ip_address(random.randint(first, last)))
        if candidate not in used:
            return candidate
    return next(str(ipaddress.ip_address(n)) for n in range(first, last + 1) if str(ipaddress.ip_address(n)) not in used)


@correction("endpoint-network-interfaces")
def endpoint_network_interfaces():
    """AWS gives an interface endpoint one requester-managed network interface in each of its
    subnets, with a private address from that subnet, the endpoint's security groups, and
    `InterfaceType` `vpc_endpoint` (PrivateLink guide, "Access an AWS service using an interface
    VPC endpoint": "creates an endpoint network interface in each subnet ... Each endpoint network
    interface is assigned an IP address from the IP address range of its subnet"; "the security
    groups associated with the endpoint network interfaces"; EC2 API reference, NetworkInterface:
    InterfaceType `vpc_endpoint`, RequesterManaged). Adding or removing a subnet or a group with
    ModifyVpcEndpoint does the same to the interfaces. moto gives each a random 10.x.y.z address
    outside the subnet (`ec2/models/vpcs.py` create_vpc_endpoint calls random_private_ip() with no
    CIDR), the VPC's default group, InterfaceType `interface`, not requester-managed, and leaves
    the interfaces as they were on ModifyVpcEndpoint: nothing could tell where the endpoint answers."""
    from moto.ec2.models import vpcs
    from moto.ec2.models.vpcs import VPCEndPoint

    def groups_of(backend, endpoint):
        if endpoint.security_group_ids:
            return list(endpoint.security_group_ids)
        default = backend.get_default_security_group(endpoint.vpc_id)
        return [default.id] if default else []

    def interface_in(backend, endpoint, subnet_id):
        subnet = backend.get_subnet(subnet_id)
        eni = backend.create_network_interface(subnet, free_subnet_address(backend, subnet), group_ids=groups_of(backend, endpoint), description=f"VPC Endpoint Interface {endpoint.id}")
        eni.interface_type = "vpc_endpoint"
        eni.requester_managed = True
        return eni

    def follow_endpoint(backend, endpoint):
        """The interfaces of `endpoint` after a change: one per subnet, each with its groups."""
        by_subnet = {}
        for eni_id in list(endpoint.network_interface_ids):
            eni = backend.enis.get(eni_id)
            if eni is None or eni.subnet.id not in (endpoint.subnet_ids or []) or eni.subnet.id in by_subnet:
                backend.enis.pop(eni_id, None)
                continue
            by_subnet[eni.subnet.id] = eni
        for subnet_id in endpoint.subnet_ids or []:
            if subnet_id not in by_subnet:
                by_subnet[subnet_id] = interface_in(backend, endpoint, subnet_id)
        groups = [backend.get_security_group_from_id(g) for g in groups_of(backend, endpoint)]
        for eni in by_subnet.values():
            eni._group_set = [g for g in groups if g is not None]
        endpoint.network_interface_ids = [by_subnet[s].id for s in endpoint.subnet_ids or []]

    def make_create(original):
        def create_vpc_endpoint(self, vpc_id, service_name, endpoint_type, *args, **kwargs):
            endpoint = original(self, vpc_id, service_name, endpoint_type, *args, **kwargs)
            if endpoint_type and endpoint_type.lower() == "interface":
                for eni_id in endpoint.network_interface_ids:
                    self.enis.pop(eni_id, None)
                endpoint.network_interface_ids = []
                follow_endpoint(self, endpoint)
            return endpoint

        return create_vpc_endpoint

    def make_modify(original):
        def modify(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            if (self.vpc_endpoint_type or "").lower() == "interface":
                follow_endpoint(self.ec2_backend, self)
            return result

        return modify

    wrap(vpcs.VPCBackend, "create_vpc_endpoint", make_create)
    wrap(VPCEndPoint, "modify", make_modify)


@correction("endpoint-private-dns-modify")
def endpoint_private_dns_modify():
    """AWS's ModifyVpcEndpoint takes `PrivateDnsEnabled` for an interface endpoint and turns the
    endpoint's private DNS on or off (EC2 API reference, ModifyVpcEndpoint: "PrivateDnsEnabled —
    (Interface endpoint) Indicates whether a private hosted zone is associated with the VPC");
    DescribeVpcEndpoints then reports the new value. moto ignores the parameter
    (`ec2/responses/vpcs.py` modify_vpc_endpoint), so private DNS can never be turned off once on."""
    from moto.ec2.responses.vpcs import VPCs

    def make(original):
        def modify_vpc_endpoint(self):
            result = original(self)
            enabled = self._get_param("PrivateDnsEnabled")
            if enabled is not None:
                endpoint = self.ec2_backend.describe_vpc_endpoints(vpc_end_point_ids=[self._get_param("VpcEndpointId")])[0]
                endpoint.private_dns_enabled = str(enabled).lower() == "true"
            return result

        return modify_vpc_endpoint

    wrap(VPCs, "modify_vpc_endpoint", make)


def deployed_definition(api, region):
    """What a deployment of `api` serves, in the Swagger 2.0 shape with API Gateway's extensions that
    AWS's GetExport gives (x-amazon-apigateway-integration on each method, mock integrations with
    their request templates and responses keyed by selection pattern or "default", and
    x-amazon-apigateway-policy for the resource policy), as plain JSON (a copy, not a view)."""
    paths = {}
    for resource in api.resources.values():
        path = resource.get_path()
        operations = {}
        for verb, method in resource.resource_methods.items():
            operation = {"responses": {str(code): {"description": f"{code} response"} for code in method.method_responses}}
            parameters = [{"name": name, "in": "path", "required": True, "type": "string"} for name in re.findall(r"\{([^}+]+)\+?\}", path)]
            for key in sorted(method.request_parameters or {}):
                _, _, where, name = key.split(".", 3)
                if where != "path":
                    parameters.append({"name": name, "in": {"querystring": "query", "header": "header"}.get(where, where), "required": bool(method.request_parameters[key]), "type": "string"})
            if parameters:
                operation["parameters"] = parameters
            integration = method.method_integration
            if integration is not None:
                rendered = {
                    "type": (integration.integration_type or "").lower(),
                    "passthroughBehavior": (integration.passthrough_behaviour or "WHEN_NO_MATCH").lower(),
                    "responses": {},
                }
                if integration.uri:
                    rendered["uri"] = integration.uri
                if integration.http_method:
                    rendered["httpMethod"] = integration.http_method
                if integration.request_templates:
                    rendered["requestTemplates"] = dict(integration.request_templates)
                for response in (integration.integration_responses or {}).values():
                    entry = {"statusCode": str(response.status_code)}
                    if response.response_templates:
                        entry["responseTemplates"] = dict(response.response_templates)
                    rendered["responses"][response.selection_pattern or "default"] = entry
                operation["x-amazon-apigateway-integration"] = rendered
            operations[verb.lower()] = operation
        paths[path] = operations
    definition = {
        "swagger": "2.0",
        "info": {"title": api.name},
        "host": f"{api.id}.execute-api.{region}.amazonaws.com",
        "schemes": ["https"],
        "paths": paths,
    }
    if api.policy:
        definition["x-amazon-apigateway-policy"] = json.loads(api.policy) if isinstance(api.policy, str) else api.policy
    return json.loads(json.dumps(definition))


@correction("stage-serves-deployment")
def stage_serves_deployment():
    """AWS's stage serves its *deployment*, a snapshot of the API taken by CreateDeployment: "After
    creating your API, you must deploy it ... every time you update an API, you must redeploy the
    API to an existing stage or to a new stage" (API Gateway developer guide, "Deploy REST APIs"), and
    for the resource policy: "If you update the resource policy after the API is created, you'll
    need to deploy the API to propagate the changes" (developer guide, "Create and attach an API
    Gateway resource policy to an API"). GetExport "exports a deployed version of a RestApi" for a
    stage (API reference, GetExport); its `extensions=integrations` or `extensions=apigateway`
    parameter adds the x-amazon-apigateway-integration extensions, and x-amazon-apigateway-policy is
    the OpenAPI extension in which API Gateway carries a REST API's resource policy (developer
    guide, "x-amazon-apigateway-policy"). moto keeps no snapshot: its GetExport renders the API as
    it is now, ignores the stage and `extensions`, and has no integrations and no policy
    (`apigateway/models.py` export_api). Here each deployment keeps the definition it was made
    from, and GetExport of a stage renders its deployment's: with `extensions=integrations` the
    integrations, with `extensions=apigateway` the integrations and the policy (Swagger 2.0;
    `oas30` is left to moto)."""
    from moto.apigateway.models import RestAPI, apigateway_backends
    from moto.apigateway.responses import APIGatewayResponse

    def make_create(original):
        def create_deployment(self, name, description, stage_variables=None):
            deployment = original(self, name, description, stage_variables)
            deployment.definition = deployed_definition(self, self.region_name)
            return deployment

        return create_deployment

    def make_export(original):
        def get_export(self):
            parts = self.path.split("?")[0].strip("/").split("/")
            # restapis/<id>/stages/<stage>/exports/<type>
            if len(parts) != 6 or parts[5] != "swagger":
                return original(self)
            api_id, stage_name = unquote(parts[1]), unquote(parts[3])
            backend = apigateway_backends[self.current_account][self.region]
            stage = backend.get_stage(api_id, stage_name)
            deployment = backend.get_rest_api(api_id).deployments.get(stage.deployment_id)
            definition = getattr(deployment, "definition", None)
            if definition is None:
                return original(self)
            extensions = set(",".join(self.querystring.get("extensions", [])).split(","))
            document = json.loads(json.dumps(definition))
            document["basePath"] = f"/{stage_name}"
            document["info"]["version"] = str(deployment.created_date)
            if not extensions & {"integrations", "apigateway"}:
                for operations in document["paths"].values():
                    for operation in operations.values():
                        operation.pop("x-amazon-apigateway-integration", None)
            if "apigateway" not in extensions:
                document.pop("x-amazon-apigateway-policy", None)
            headers = {"Content-Type": "application/json", "Content-Disposition": f'attachment; filename="swagger_{stage_name}.json"'}
            return 200, headers, json.dumps(document).encode("utf-8")

        return get_export

    wrap(RestAPI, "create_deployment", make_create)
    wrap(APIGatewayResponse, "get_export", make_export)


# The path and query of the request being answered, as the client sent them (see signature-over-request-as-sent).
RAW_URI = contextvars.ContextVar("raw_uri", default=None)


@correction("signature-over-request-as-sent")
def signature_over_request_as_sent():
    """AWS verifies a Signature Version 4 signature over the request as it was sent (Signature
    Version 4, "Create a canonical request"): the path and query as encoded on the wire (a Lambda
    qualifier `%24LATEST`, an ARN in an API Gateway or Lambda tags path), and, for a request
    without a body (every GET and DELETE of API Gateway, Lambda and Route 53), the hash of an empty
    payload. Once moto's IAM checks are on, moto recomputes the signature over the decoded URL and,
    in place of an empty body, over its parsed parameters, which for a request without a query
    string are the request's headers (`moto/iam/access_control.py` `_create_aws_request`:
    `url=self._path, data=self._body or self._data`; `moto/core/responses.py` `setup_class`):
    such requests fail with SignatureDoesNotMatch, whatever the identity may do."""
    from moto.iam.access_control import IAMRequestBase

    def make(original):
        def _create_aws_request(self):
            raw = RAW_URI.get()
            # A form-encoded body (query protocol: EC2, IAM, STS, CloudFormation) reaches moto parsed,
            # with an empty raw body: its parameters are the body, as moto assumes.
            bodyless = not self._body and self._headers.get("Content-Length", "0") in ("", "0")
            kept = (self._path, self._data)
            if raw:
                self._path = raw
            if bodyless:
                self._data = b""
            try:
                return original(self)
            finally:
                self._path, self._data = kept

        return _create_aws_request

    wrap(IAMRequestBase, "_create_aws_request", make)


@correction("apigateway-actions-by-method")
def apigateway_actions_by_method():
    """AWS authorizes API Gateway's management API (REST APIs, resources, methods, deployments,
    stages, the account setting) by HTTP method: the IAM actions are `apigateway:GET`, `POST`,
    `PUT`, `PATCH` and `DELETE` on resource paths such as `arn:aws:apigateway:<region>::/restapis/*`
    (Service Authorization Reference, "Actions, resources, and condition keys for Amazon API
    Gateway Management"; API Gateway developer guide, "Control access for managing an API with IAM
    permissions"). moto's IAM checks name the action after the operation (`apigateway:GetRestApi`,
    from `moto/core/responses.py` `_get_action` and `moto/iam/access_control.py`
    `IAMRequestBase.__init__`), an action no AWS policy grants."""
    from moto.iam.access_control import IAMRequestBase

    def make(original):
        def __init__(self, account_id, method, path, data, body, headers, action):
            original(self, account_id, method, path, data, body, headers, action)
            if self._service == "apigateway":
                self._action = f"apigateway:{method.upper()}"

        return __init__

    wrap(IAMRequestBase, "__init__", make)


@correction("lambda-invoke-action")
def lambda_invoke_action():
    """AWS authorizes Lambda's Invoke operation as the IAM action `lambda:InvokeFunction`
    (Service Authorization Reference, "Actions, resources, and condition keys for AWS Lambda":
    InvokeFunction, "Grants permission to invoke a function", API operation Invoke). moto's IAM
    checks name it after the operation, `lambda:Invoke`, an action no AWS policy grants
    (`moto/iam/access_control.py` `IAMRequestBase.__init__`)."""
    from moto.iam.access_control import IAMRequestBase

    def make(original):
        def __init__(self, account_id, method, path, data, body, headers, action):
            original(self, account_id, method, path, data, body, headers, action)
            if self._action == "lambda:Invoke":
                self._action = "lambda:InvokeFunction"

        return __init__

    wrap(IAMRequestBase, "__init__", make)


# How each service AWS authorizes here answers errors (its API protocol), by the IAM service prefix.
ERROR_PROTOCOLS = {"apigateway": "restJson", "lambda": "restJson", "logs": "awsJson", "route53": "restXml", "ec2": "ec2", "iam": "query", "sts": "query", "cloudformation": "query"}


@correction("access-denied-in-service-protocol")
def access_denied_in_service_protocol():
    """AWS answers a request its caller may not make in the service's own protocol, naming the
    action ("User: <arn> is not authorized to perform: <action>"): API Gateway and Lambda
    (restJson1) with 403 and CloudWatch Logs (awsJson1_1) with 400, a JSON body whose `__type` is
    AccessDeniedException; Route 53 (restXml) and IAM, STS, CloudFormation (query) with 403 and
    `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>...`; EC2 with 403 and
    `<Response><Errors><Error><Code>UnauthorizedOperation</Code>` (each API reference's "Common
    Errors"; EC2 API reference, "Error codes": UnauthorizedOperation). moto answers every service
    but EC2 and S3 with one XML shape, `<ErrorResponse><Errors><Error>`, and EC2 with code
    AccessDenied (`moto/iam/access_control.py` `IAMRequest._raise_access_denied`): the SDKs of
    the JSON and restXml services cannot read it, so Terraform shows "api error UnknownError"
    with no message instead of which action was denied."""
    from xml.sax.saxutils import escape

    from moto.iam.access_control import IAMRequest
    from werkzeug.exceptions import HTTPException

    class Denied(HTTPException):
        def __init__(self, code, body, content_type):
            super().__init__(description=body)
            self.code = code
            self.content_type = content_type

        def get_body(self, *args, **kwargs):
            return self.description

        def get_headers(self, *args, **kwargs):
            return [("Content-Type", self.content_type)]

    def make(original):
        def _raise_access_denied(self):
            protocol = ERROR_PROTOCOLS.get(self._service)
            message = f"User: {self._access_key.arn} is not authorized to perform: {self._action}"
            if protocol == "restJson":
                raise Denied(403, json.dumps({"__type": "AccessDeniedException", "message": message}), "application/json")
            if protocol == "awsJson":
                raise Denied(400, json.dumps({"__type": "AccessDeniedException", "message": message}), "application/x-amz-json-1.1")
            if protocol == "ec2":
                body = f"<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. {escape(message)}</Message></Error></Errors><RequestID>denied</RequestID></Response>"
                raise Denied(403, body, "text/xml")
            if protocol in ("restXml", "query"):
                body = f"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{escape(message)}</Message></Error><RequestId>denied</RequestId></ErrorResponse>"
                raise Denied(403, body, "text/xml")
            return original(self)

        return _raise_access_denied

    wrap(IAMRequest, "_raise_access_denied", make)


# Set while a dependent action is being checked: its own check must not ask for dependents again.
CHECKING_DEPENDENT = contextvars.ContextVar("checking_dependent", default=False)


def dependent_action(when):
    """Patches moto's IAM check to also check the action `when(request)` names (or None) once the
    request's own action is allowed: an action AWS authorizes on top of the one called. Recorded
    like any other (see record_authorizations)."""
    from moto.iam.access_control import IAMRequestBase

    def make(original):
        def check_action_permitted(self, resource):
            original(self, resource)
            if CHECKING_DEPENDENT.get():
                return
            dependent = when(self)
            if not dependent:
                return
            called, self._action = self._action, dependent
            token = CHECKING_DEPENDENT.set(True)
            try:
                original(self, resource)
            finally:
                CHECKING_DEPENDENT.reset(token)
                self._action = called

        return check_action_permitted

    wrap(IAMRequestBase, "check_action_permitted", make)


def request_json(request):
    try:
        return json.loads(request._body or b"{}")
    except ValueError:
        return {}


@correction("tag-on-create-checked")
def tag_on_create_checked():
    """AWS authorizes `ec2:CreateTags` on top of an EC2 create action whose request carries
    TagSpecifications ("If tags are specified in the resource-creating action, Amazon performs
    additional authorization on the ec2:CreateTags action to verify if users have permissions to
    create tags", EC2 User Guide, "Grant permission to tag Amazon EC2 resources during
    creation"); the condition key ec2:CreateAction then names the create action. hashicorp/aws
    sends the default tags with every create. moto checks the create action only."""

    def when(request):
        action = request._action
        tagged = any(str(key).startswith("TagSpecification") for key in (request._data or {}))
        return "ec2:CreateTags" if request._service == "ec2" and action.startswith("ec2:Create") and action != "ec2:CreateTags" and tagged else None

    dependent_action(when)


@correction("pass-role-checked")
def pass_role_checked():
    """AWS authorizes `iam:PassRole` on the execution role when CreateFunction or
    UpdateFunctionConfiguration names one (Lambda developer guide, "Defining Lambda function
    permissions with an execution role": the user needs iam:PassRole; condition key
    iam:PassedToService = lambda.amazonaws.com). moto checks the Lambda action only."""

    def when(request):
        if request._action not in ("lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"):
            return None
        return "iam:PassRole" if request_json(request).get("Role") else None

    dependent_action(when)


@correction("rest-api-policy-action-checked")
def rest_api_policy_action_checked():
    """AWS authorizes `apigateway:UpdateRestApiPolicy` on top of `apigateway:PATCH` when an
    UpdateRestApi changes the API's resource policy ("To update an API Gateway resource policy,
    you'll need the apigateway:UpdateRestApiPolicy permission and the apigateway:PATCH
    permission", API Gateway developer guide, "Create and attach an API Gateway resource policy to
    an API"), and on top of `apigateway:POST` when CreateRestApi sets one. moto checks the method
    (with apigateway-actions-by-method) or the operation only."""

    def when(request):
        if request._service != "apigateway":
            return None
        path = request._path.split("?")[0].rstrip("/")
        body = request_json(request)
        patches_policy = request._method == "PATCH" and re.fullmatch(r"/restapis/[^/]+", path) and any(op.get("path") == "/policy" for op in body.get("patchOperations", []))
        creates_with_policy = request._method == "POST" and path == "/restapis" and body.get("policy")
        return "apigateway:UpdateRestApiPolicy" if patches_policy or creates_with_policy else None

    dependent_action(when)


# Every authorization moto's IAM checks decided, by principal and action: [allowed, denied, invalid]
# (invalid: the request's signature or key did not verify, so its action was never evaluated).
AUTHORIZATIONS = {}
AUTHORIZATIONS_LOCK = threading.Lock()


def record_authorizations():
    """Records what moto's IAM checks decide (they run only once enabled: POST /moto-api/reset-auth
    with 0, moto's INITIAL_NO_AUTH_ACTION_COUNT). moto evaluates the identity's policies on the
    action alone: the resource is `*` for all but a few IAM, STS, SQS and S3 calls, and a condition
    passes unless a StringEquals key has a value in the request (`moto/iam/access_control.py`)."""
    from moto.iam.access_control import IAMRequest, IAMRequestBase

    def count(key, outcome):
        with AUTHORIZATIONS_LOCK:
            AUTHORIZATIONS.setdefault(key, [0, 0, 0])[outcome] += 1

    def make_check(original):
        def check_action_permitted(self, resource):
            allowed = False
            try:
                original(self, resource)
                allowed = True
            finally:
                count((self._access_key.arn, self._action), 0 if allowed else 1)

        return check_action_permitted

    def make_invalid(original, who):
        def raise_invalid(self, *args):
            count((who(self), self._action), 2)
            return original(self, *args)

        return raise_invalid

    def credential(request):
        return "access key " + request._get_string_between("Credential=", "/", request._headers["Authorization"])

    wrap(IAMRequestBase, "check_action_permitted", make_check)
    wrap(IAMRequest, "_raise_signature_does_not_match", lambda original: make_invalid(original, lambda r: r._access_key.arn))
    wrap(IAMRequest, "_raise_invalid_access_key", lambda original: make_invalid(original, credential))


# Classes defined by corrections that must stay referenced (CloudFormation finds models by subclass).
CORRECTIONS_KEEP = []


class Instrumentation:
    """What the suite asks the emulator about itself, besides AWS's APIs:
    GET /_emulator/corrections   the corrections in effect (also: this is the project's launcher)
    POST /_emulator/corrections {"disabled": [name, ...]}
                                 turns those installed corrections off and every other one on
    GET /_emulator/access-keys   the access key id of every signed request (the suite checks that
                                 no caller credentials leak into the emulated runs)
    GET /_emulator/invocations   Lambda invocations by function name (how often a plan runs the canary)
    GET /_emulator/authorizations
                                 every decision of moto's IAM checks since the last DELETE:
                                 [{"principal", "action", "allowed": n, "denied": n, "invalid": n}]
                                 (invalid: the signature or key did not verify)
    DELETE /_emulator/authorizations
                                 forgets them
    POST /_emulator/lambda-answer {"account_id", "region", "result"}
                                 what every invocation in that account and region answers once
                                 moto's queue of results is empty (moto echoes the request then)
    POST /_emulator/lambda-runner {"account_id", "region", "url"}
                                 every invocation in that account and region (once moto's queue is
                                 empty) is forwarded to `url`, on 127.0.0.1 only, as one POST of
                                 {"function_name", "handler", "runtime", "timeout", "environment",
                                 "vpc_config", "code" (the deployment package, base64), "payload"}
                                 and answered with what it returns: {"payload"[, "function_error"]}.
                                 `"url": null` stops forwarding. (The data-plane twin runs the
                                 function's own code in its subnet this way.)
    """

    INVOCATION = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")

    def __init__(self, app, corrections):
        self.app = app
        self.corrections = corrections
        self.keys = set()
        self.invocations = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        route = environ.get("PATH_INFO", "")
        answers = {
            "/_emulator/corrections": lambda: [name for name in self.corrections if ENABLED.get(name)],
            "/_emulator/access-keys": lambda: sorted(self.keys),
            "/_emulator/invocations": lambda: self.invocations,
            "/_emulator/authorizations": lambda: [
                {"principal": principal, "action": action, "allowed": counts[0], "denied": counts[1], "invalid": counts[2]}
                for (principal, action), counts in sorted(AUTHORIZATIONS.items())
            ],
        }
        if route == "/_emulator/lambda-runner" and environ.get("REQUEST_METHOD") == "POST":
            body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            url = body.get("url")
            if url is not None and not re.match(r"^http://127\.0\.0\.1:\d+(/|$)", url):
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"lambda-runner: expected a URL on http://127.0.0.1:<port>, got {url}".encode()]
            with self.lock:
                if url is None:
                    LAMBDA_RUNNERS.pop((body["account_id"], body["region"]), None)
                else:
                    LAMBDA_RUNNERS[(body["account_id"], body["region"])] = url
        if route == "/_emulator/authorizations" and environ.get("REQUEST_METHOD") == "DELETE":
            with AUTHORIZATIONS_LOCK:
                AUTHORIZATIONS.clear()
            start_response("204 No Content", [])
            return [b""]
        if route == "/_emulator/lambda-answer" and environ.get("REQUEST_METHOD") == "POST":
            body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            with self.lock:
                LAMBDA_ANSWERS[(body["account_id"], body["region"])] = body["result"]
            start_response("204 No Content", [])
            return [b""]
        if route == "/_emulator/corrections" and environ.get("REQUEST_METHOD") == "POST":
            body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            unknown = [name for name in body.get("disabled", []) if name not in self.corrections]
            if unknown:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"not installed here: {', '.join(unknown)}".encode()]
            with self.lock:
                for name in self.corrections:
                    ENABLED[name] = name not in body.get("disabled", [])
            start_response("204 No Content", [])
            return [b""]
        if route in answers:
            with self.lock, AUTHORIZATIONS_LOCK:
                body = json.dumps(answers[route]()).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        # For the signature check (signature-over-request-as-sent): werkzeug's dev server keeps it.
        RAW_URI.set(environ.get("RAW_URI") or environ.get("REQUEST_URI"))
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        invoked = self.INVOCATION.match(route) if environ.get("REQUEST_METHOD") == "POST" else None
        with self.lock:
            if "Credential=" in authorization:
                self.keys.add(authorization.split("Credential=", 1)[1].split("/", 1)[0])
            if invoked:
                name = unquote(invoked.group(1))
                self.invocations[name] = self.invocations.get(name, 0) + 1
        return self.app(environ, start_response)


# The answer of every invocation in an account and region once moto's queue is empty (see Instrumentation).
LAMBDA_ANSWERS = {}
# Where invocations in an account and region are forwarded to be run (see Instrumentation).
LAMBDA_RUNNERS = {}


def run_elsewhere(backend, url, function_name, qualifier, body, response_headers):
    """Forwards one invocation to the runner at `url` and returns its payload (see Instrumentation)."""
    import base64
    import urllib.request

    function = backend.get_function(function_name, qualifier)
    request = {
        "function_name": function.function_name,
        "handler": function.handler,
        "runtime": function.run_time,
        "timeout": function.timeout,
        "environment": dict(function.environment_vars or {}),
        "vpc_config": function._vpc_config or {},
        "code": base64.b64encode(function.code_bytes or b"").decode(),
        "code_sha256": function.code_sha_256,
        "payload": body.decode() if isinstance(body, bytes) else (body or ""),
    }
    data = json.dumps(request).encode()
    # The runner is on loopback: no proxy may stand between (nor see the payload).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    post = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    with opener.open(post, timeout=float(function.timeout or 3) + 30) as answer:
        result = json.loads(answer.read() or b"{}")
    if result.get("function_error"):
        response_headers["x-amz-function-error"] = result["function_error"]
    return str(result.get("payload", "")).encode()


def answer_lambda_invocations():
    """The suite's control of what a function answers (moto runs no function code without Docker)."""
    from moto.awslambda_simple.models import LambdaSimpleBackend

    def make(original):
        def invoke(self, function_name, qualifier, body, headers, response_headers):
            runner = LAMBDA_RUNNERS.get((self.account_id, self.region_name))
            if runner is not None and not self.lambda_simple_results_queue:
                return run_elsewhere(self, runner, function_name, qualifier, body, response_headers)
            answer = LAMBDA_ANSWERS.get((self.account_id, self.region_name))
            if answer is not None and not self.lambda_simple_results_queue:
                return answer.encode()
            return original(self, function_name, qualifier, body, headers, response_headers)

        return invoke

    wrap(LambdaSimpleBackend, "invoke", make)


def main(argv):
    parser = argparse.ArgumentParser(description="moto server with the project's corrections toward AWS's behaviour")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--without", action="append", default=[], choices=sorted(CORRECTIONS), help="leave this correction out")
    parser.add_argument("--list", action="store_true", help="print the corrections and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, function in CORRECTIONS.items():
            print(f"{name}: {' '.join(function.__doc__.split())}")
        return

    answer_lambda_invocations()
    record_authorizations()
    applied = [name for name in CORRECTIONS if name not in args.without]
    for name in applied:
        CORRECTIONS[name]()

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", args.port, Instrumentation(app, applied), threaded=True)
    # moto builds some URLs it answers with (Lambda function URLs, S3 locations) from this.
    os.environ["MOTO_PORT"] = str(server.server_port)
    print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
