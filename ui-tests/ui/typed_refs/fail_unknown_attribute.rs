// `Fn::GetAtt` only for attributes the type has: a bucket has no `GroupId`.
use infra_runtime::aws::s3::bucket;
use infra_runtime::Stack;

fn main() {
    let mut stack = Stack::new();
    let bucket = stack.add("Logs", bucket::Bucket::default());
    let _ = bucket.group_id();
}
