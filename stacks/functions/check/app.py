"""Checks an order of the fulfilment workflow and shapes the record the next step puts in
the orders table (DynamoDB's attribute-value form). An order that cannot be fulfilled
fails the execution."""

import time


class Unfulfillable(Exception):
    """The order cannot be fulfilled; the execution fails with this error."""


def handler(event, context):
    order = event["order"]
    amount = float(order["amount"])
    if amount <= 0:
        raise Unfulfillable(f"amount {amount} is not positive")
    item = {
        "order_id": {"S": str(order["order_id"])},
        "customer_id": {"S": str(order["customer_id"])},
        "amount": {"N": str(amount)},
        "placed_at": {"N": str(int(time.time()))},
    }
    return {"order": order, "item": item}
