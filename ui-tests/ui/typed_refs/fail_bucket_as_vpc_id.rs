// A bucket's name where a subnet needs a VPC id.
use infra_runtime::aws::ec2::Subnet;
use infra_runtime::aws::s3::Bucket;
use infra_runtime::Stack;

fn main() {
    let mut stack = Stack::new();
    let bucket = stack.add("Logs", Bucket::default());
    stack.add("Subnet", Subnet {
        vpc_id: bucket.name(),
        ..Default::default()
    });
}
