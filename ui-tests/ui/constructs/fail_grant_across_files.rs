//! The verbs of a construct of another crate, granted from another file: a verb it does
//! not offer is an error at the verb (with rustc's nearest verb), a verb of another kind
//! of resource too, and a resource that offers no verbs at all at the resource.

#[path = "parts/work.rs"]
mod work;

use infra_macros::stack;
use work::Work;

stack! {
    pub stack Producers { region: "eu-west-2" }

    construct work: Work {}

    role producer {
        assumed_by: ecs_tasks,
        grants: [send(work.jobs), sned(work.jobs), write_logs(work.jobs), send(work.work_logs)],
    }
    vpc network { cidr: "10.0.0.0/16", private: ["10.0.1.0/24", "10.0.2.0/24"] }
    security_group app_sg in network {}
    role reader { assumed_by: ecs_tasks, grants: [read(app_sg)] }
}

fn main() {}
