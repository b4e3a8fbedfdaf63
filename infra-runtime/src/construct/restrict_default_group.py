"""Closes a VPC's default security group: the CloudFormation custom resource handler of
the `vpc` construct's `Custom::VpcRestrictDefaultSG`.

EC2 gives every VPC a default group that admits all traffic from its own members and lets
all traffic out; CloudFormation cannot change it. On Create and Update this revokes those
two rules (a rule already gone is fine). On Delete it does nothing: the group goes with
its VPC, and a group left closed is the safe state.
"""

import json
import urllib.request

import boto3

EC2 = boto3.client("ec2")


def default_rules(group_id):
    """The two rules EC2 creates in a VPC's default group: (ingress, egress)."""
    ingress = [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group_id}]}]
    egress = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    return ingress, egress


def close(group_id):
    ingress, egress = default_rules(group_id)
    for revoke, permissions in (
        (EC2.revoke_security_group_ingress, ingress),
        (EC2.revoke_security_group_egress, egress),
    ):
        try:
            revoke(GroupId=group_id, IpPermissions=permissions)
        except EC2.exceptions.ClientError as error:
            if error.response["Error"]["Code"] != "InvalidPermission.NotFound":
                raise


def answer(event, context, status, reason):
    """Sends CloudFormation the outcome, to the pre-signed URL of the request."""
    group_id = event["ResourceProperties"].get("DefaultSecurityGroupId", "none")
    body = json.dumps(
        {
            "Status": status,
            "Reason": f"{reason} (log stream {context.log_stream_name})",
            "PhysicalResourceId": event.get("PhysicalResourceId", group_id),
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
        }
    ).encode()
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def handler(event, context):
    try:
        if event["RequestType"] in ("Create", "Update"):
            close(event["ResourceProperties"]["DefaultSecurityGroupId"])
        answer(event, context, "SUCCESS", "default security group closed")
    except Exception as error:  # every failure must still answer CloudFormation
        answer(event, context, "FAILED", str(error)[:400])
