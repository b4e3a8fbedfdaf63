"""Takes an order posted to the API and starts its fulfilment workflow; an asynchronous
invocation that fails is retried twice by Lambda and then lands in the dead-letter
queue."""

import json
import os

import boto3

STATES = boto3.client("stepfunctions")
REQUIRED = ("order_id", "customer_id", "amount")


def handler(event, context):
    try:
        order = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError:
        return {"statusCode": 400, "body": json.dumps({"error": "the body is not JSON"})}
    missing = [field for field in REQUIRED if field not in order]
    if missing:
        return {"statusCode": 400, "body": json.dumps({"missing": missing})}
    execution = STATES.start_execution(
        stateMachineArn=os.environ["FULFILMENT"],
        name=str(order["order_id"]),
        input=json.dumps({"order": order}),
    )
    return {
        "statusCode": 202,
        "body": json.dumps({"order_id": order["order_id"], "execution": execution["executionArn"]}),
    }
