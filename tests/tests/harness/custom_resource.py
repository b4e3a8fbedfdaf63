"""Runs a custom resource handler's inline source (standard input) the way CloudFormation
would: with an EC2 client stand-in and a loopback server taking the handler's answer.
Prints, per scenario, the EC2 calls made and the answer received, as JSON."""

import http.server
import json
import sys
import threading
import types

calls = []
answers = []


class ClientError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.response = {"Error": {"Code": code}}


class FakeEc2:
    exceptions = types.SimpleNamespace(ClientError=ClientError)
    failure = None

    def _call(self, name, arguments):
        calls.append({"call": name, **arguments})
        if FakeEc2.failure:
            raise ClientError(FakeEc2.failure)

    def revoke_security_group_ingress(self, **arguments):
        self._call("revoke_security_group_ingress", arguments)

    def revoke_security_group_egress(self, **arguments):
        self._call("revoke_security_group_egress", arguments)


boto3 = types.ModuleType("boto3")
boto3.client = lambda service: FakeEc2() if service == "ec2" else None
sys.modules["boto3"] = boto3


class Answers(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        length = int(self.headers["Content-Length"])
        answers.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *arguments):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Answers)
threading.Thread(target=server.serve_forever, daemon=True).start()

handler = types.ModuleType("index")
exec(compile(sys.stdin.read(), "index.py", "exec"), handler.__dict__)
context = types.SimpleNamespace(log_stream_name="2026/11/30/[$LATEST]0")

results = {}
for name, request, failure in json.loads(sys.argv[1]):
    calls.clear()
    FakeEc2.failure = failure
    event = {
        "RequestType": request,
        "ResponseURL": f"http://127.0.0.1:{server.server_port}/answer",
        "StackId": "stack",
        "RequestId": name,
        "LogicalResourceId": "Closer",
        "ResourceProperties": {"DefaultSecurityGroupId": "sg-0123"},
    }
    if request != "Create":
        event["PhysicalResourceId"] = "sg-0123"
    handler.handler(event, context)
    answer = next((a for a in answers if a["RequestId"] == name), None)
    results[name] = {"calls": list(calls), "answer": answer}
server.shutdown()
print(json.dumps(results))
