// A role attaching an AWS managed policy by a name AWS has no policy of.
use infra_macros::stack;

stack! {
    pub stack Cluster { region: "eu-west-2" }

    role cluster_role {
        assumed_by: "eks.amazonaws.com",
        managed_policies: ["AmazonEKSClusterPolicy", "AmazonEKSClusterPolicyy"],
    }
}

fn main() {}
