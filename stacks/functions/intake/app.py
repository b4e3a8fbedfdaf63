"""Takes an order event, checks it and logs it; a failure is retried twice by Lambda and
then lands in the dead-letter queue."""

import json
import logging

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

REQUIRED = ("order_id", "customer_id", "amount")


def handler(event, context):
    missing = [field for field in REQUIRED if field not in event]
    if missing:
        raise ValueError(f"order event lacks {', '.join(missing)}")
    LOG.info("order %s accepted: %s", event["order_id"], json.dumps(event))
    return {"order_id": event["order_id"], "status": "accepted"}
