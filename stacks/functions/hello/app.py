"""Answers every invocation with what it was given."""


def handler(event, context):
    return {"statusCode": 200, "body": str(event)}
