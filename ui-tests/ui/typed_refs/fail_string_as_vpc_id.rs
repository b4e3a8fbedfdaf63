// A bare string where a VPC id belongs: an id from outside the stack must say so.
use infra_runtime::aws::ec2::subnet;
use infra_runtime::Stack;

fn main() {
    let mut stack = Stack::new();
    stack.add("Subnet", subnet::Subnet {
        vpc_id: "vpc-0abc".into(),
        ..Default::default()
    });
}
