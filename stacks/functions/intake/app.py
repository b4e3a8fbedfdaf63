"""Takes an order posted to the API, checks it and stores it in the orders table; an
asynchronous invocation that fails is retried twice by Lambda and then lands in the
dead-letter queue."""

import json
import os
import time

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
REQUIRED = ("order_id", "customer_id", "amount")


def handler(event, context):
    order = json.loads(event.get("body") or "{}")
    missing = [field for field in REQUIRED if field not in order]
    if missing:
        return {"statusCode": 400, "body": json.dumps({"missing": missing})}
    TABLE.put_item(Item={**order, "placed_at": int(time.time())})
    return {"statusCode": 201, "body": json.dumps({"order_id": order["order_id"]})}
