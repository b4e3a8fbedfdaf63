// References of the right kind, literals for things outside the stack, a key reference
// that accepts a key's ARN, and a resource's own name as a plain literal.
use infra_runtime::aws::ec2::{Subnet, Vpc};
use infra_runtime::aws::kms::Key;
use infra_runtime::aws::logs::LogGroup;
use infra_runtime::aws::s3::Bucket;
use infra_runtime::{Id, Stack, Value};

fn main() {
    let mut stack = Stack::new();
    let vpc = stack.add("Vpc", Vpc { cidr_block: Some("10.0.0.0/16".into()), ..Default::default() });
    stack.add("Inside", Subnet { vpc_id: vpc.id(), ..Default::default() });
    stack.add("Outside", Subnet { vpc_id: Value::<Id<Vpc>>::external("vpc-0abc"), ..Default::default() });
    let key = stack.add("Key", Key::default());
    stack.add("Logs", LogGroup {
        log_group_name: Some("/loan/app".into()),
        kms_key_id: Some(key.arn().into()),
        ..Default::default()
    });
    stack.add("Archive", Bucket { bucket_name: Some("loan-archive-dev".into()), ..Default::default() });
}
