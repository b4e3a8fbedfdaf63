// A bucket's name where a subnet needs a VPC id.
use infra_runtime::aws::ec2::subnet;
use infra_runtime::aws::s3::bucket;
use infra_runtime::Stack;

fn main() {
    let mut stack = Stack::new();
    let bucket = stack.add("Logs", bucket::Bucket::default());
    stack.add("Subnet", subnet::Subnet {
        vpc_id: bucket.name(),
        ..Default::default()
    });
}
