// References of the right kind, literals for things outside the stack, a key reference
// that accepts a key's ARN, and a resource's own name as a plain literal.
use infra_runtime::aws::ec2::{Vpc, subnet, vpc};
use infra_runtime::aws::kms::{Key, key};
use infra_runtime::aws::logs::log_group;
use infra_runtime::aws::s3::bucket;
use infra_runtime::{Id, Stack, Value};

fn main() {
    let mut stack = Stack::new();
    let vpc = stack.add("Vpc", vpc::Vpc { cidr_block: Some("10.0.0.0/16".into()), ..Default::default() });
    stack.add("Inside", subnet::Subnet { vpc_id: vpc.id(), ..Default::default() });
    stack.add("Outside", subnet::Subnet { vpc_id: Value::<Id<Vpc>>::external("vpc-0abc"), ..Default::default() });
    let key = stack.add("Key", key::Key::default());
    stack.add("Logs", log_group::LogGroup {
        log_group_name: Some("/loan/app".into()),
        kms_key_id: Some(key.arn().into()),
        ..Default::default()
    });
    stack.add("Archive", bucket::Bucket { bucket_name: Some("loan-archive-dev".into()), ..Default::default() });
}
