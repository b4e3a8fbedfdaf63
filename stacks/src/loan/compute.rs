//! ECS: the application on Fargate, scaling between 2 and 10 tasks.

use infra_macros::component;
use infra_runtime::construct::Network;

use super::balancer::Balancing;
use super::database::Data;
use super::iam::Roles;
use super::security::SecurityGroups;
use super::storage::Storage;

component! {
    /// The loan application: private subnets, behind the load balancer, using the database.
    pub component Compute {}

    /// The VPC whose private tier the tasks run in.
    input network: &Network;
    /// The groups; the tasks' is `app_sg`.
    input groups: &SecurityGroups;
    /// The load balancer in front.
    input balancing: &Balancing;
    /// The roles the tasks start and run with.
    input roles: &Roles;
    /// The log groups.
    input storage: &Storage;
    /// The database the application uses.
    input data: &Data;
    /// The application image, pinned.
    input image: &str;

    pub fargate_service app {
        subnets: network.private,
        security_group: groups.app_sg,
        load_balancer: balancing.web,
        image: image,
        port: 8080,
        cpu: 512,
        memory: 1024,
        desired: 2,
        min: 2,
        max: 10,
        cpu_target: 70,
        memory_target: 80,
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
        database: data.database,
        database_user: "loan_app",
        container_insights: true,
    }
}
