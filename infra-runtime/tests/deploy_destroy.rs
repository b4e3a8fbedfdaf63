//! `destroy` lists what goes and what stays from the live stack (a resource the local
//! template no longer has included), needs a production stack's name on top of `--yes`,
//! and refuses a stack with termination protection. Against a stand-in CloudFormation.

mod common;

use common::{deployable, engine, no_events};
use std::sync::{Arc, Mutex};

use common::{Rule, el, list, on};
use infra_runtime::deploy::{DeployError, DeployOptions, End, Plan, ResourceEvent, Ui};

/// A user who types `typed` when asked for text and answers yes.
struct Typist {
    typed: Option<String>,
    said: Vec<String>,
}

impl Ui for Typist {
    fn status(&mut self, message: &str) {
        self.said.push(message.to_owned());
    }
    fn resource_event(&mut self, _: &ResourceEvent) {}
    fn plan(&mut self, _: &Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        true
    }
    fn ask_text(&mut self, _: &str) -> Option<String> {
        self.typed.clone()
    }
}

fn typist(typed: Option<&str>) -> Typist {
    Typist {
        typed: typed.map(str::to_owned),
        said: Vec::new(),
    }
}

fn options(production: bool, confirmed: Option<&str>) -> DeployOptions {
    DeployOptions {
        production,
        confirmed_name: confirmed.map(str::to_owned),
        ..common::options(true)
    }
}

/// The stack, gone once deleted.
fn describe(deleted: &Arc<Mutex<bool>>, protected: bool) -> Rule {
    let deleted = deleted.clone();
    on("DescribeStacks").reply(move |_| {
        if *deleted.lock().expect("lock") {
            return "<Stacks/>".to_owned();
        }
        let protection = el("EnableTerminationProtection", &protected.to_string());
        common::stack("UPDATE_COMPLETE", &protection)
    })
}

/// Deployed: the VPC and a key the local template has since dropped, retained.
fn live() -> (Rule, Rule) {
    live_with("CREATE_COMPLETE", "")
}

/// Deployed: the VPC (in `vpc_status`) and a retained key, with `more` resources of the
/// deployed template.
fn live_with(vpc_status: &'static str, more: &'static str) -> (Rule, Rule) {
    let resources = on("ListStackResources").reply(move |_| {
        let summary = |id: &str, ty: &str, physical: &str, status: &str| {
            el("LogicalResourceId", id)
                + &el("ResourceType", ty)
                + &el("PhysicalResourceId", physical)
                + &el("ResourceStatus", status)
                + "<LastUpdatedTimestamp>2026-01-01T00:00:00Z</LastUpdatedTimestamp>"
        };
        let mut summaries = vec![
            summary("Vpc", "AWS::EC2::VPC", "vpc-1", vpc_status),
            summary("OldKey", "AWS::KMS::Key", "key-1", "CREATE_COMPLETE"),
        ];
        if !more.is_empty() {
            summaries.push(summary(
                "Db",
                "AWS::RDS::DBCluster",
                "db-1",
                "CREATE_COMPLETE",
            ));
        }
        list("StackResourceSummaries", &summaries)
    });
    let template = on("GetTemplate").reply(move |_| {
        el(
            "TemplateBody",
            &format!(
                r#"{{"Resources":{{"Vpc":{{"Type":"AWS::EC2::VPC"}},"OldKey":{{"Type":"AWS::KMS::Key","DeletionPolicy":"Retain"}}{more}}}}}"#,
            ),
        )
    });
    (resources, template)
}

fn delete(deleted: &Arc<Mutex<bool>>) -> Rule {
    let deleted = deleted.clone();
    on("DeleteStack").reply(move |_| {
        *deleted.lock().expect("lock") = true;
        String::new()
    })
}

#[tokio::test]
async fn destroy_lists_the_live_stack_and_keeps_what_its_deployed_template_retains() {
    let deleted = Arc::new(Mutex::new(false));
    let (stacks, (resources, template), gone, events) = (
        describe(&deleted, false),
        live(),
        delete(&deleted),
        no_events(),
    );
    let client = [&stacks, &resources, &template, &gone, &events];
    let mut ui = typist(None);
    let fates = engine(&client)
        .destroy(
            &deployable(),
            &options(false, None),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("destroyed");
    let kept: Vec<&str> = fates
        .iter()
        .filter(|f| f.end.stays())
        .map(|f| f.logical_id.as_str())
        .collect();
    assert_eq!(kept, ["OldKey"]);
    assert!(
        ui.said
            .iter()
            .any(|s| s == "Vpc (AWS::EC2::VPC, vpc-1) is deleted"),
        "{:?}",
        ui.said
    );
    assert!(
        ui.said.iter().any(|s| s == "OldKey (AWS::KMS::Key, key-1) stays behind: it is retained (DeletionPolicy Retain)"),
        "{:?}",
        ui.said
    );
    assert_eq!(gone.num_calls(), 1);
}

#[tokio::test]
async fn an_endpoint_that_pages_in_a_circle_ends_the_listing_and_deletes_nothing() {
    let deleted = Arc::new(Mutex::new(false));
    let (stacks, (_, template), gone, events) = (
        describe(&deleted, false),
        live(),
        delete(&deleted),
        no_events(),
    );
    // Every page names a next page, and always the same one.
    let resources = on("ListStackResources").reply(|_| {
        let vpc = el("LogicalResourceId", "Vpc") + &el("ResourceType", "AWS::EC2::VPC");
        list("StackResourceSummaries", &[vpc]) + &el("NextToken", "again")
    });
    let client = [&stacks, &resources, &template, &gone, &events];
    let (engine, deployable, options, mut ui) = (
        engine(&client),
        deployable(),
        options(false, None),
        typist(None),
    );
    let destroyed = engine.destroy(&deployable, &options, &mut ui, std::future::pending());
    let error = tokio::time::timeout(std::time::Duration::from_secs(10), destroyed)
        .await
        .expect("ends")
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "ListStackResources: RepeatedPageToken: the endpoint gave the page token `again` twice; the listing stopped there"
    );
    assert_eq!(resources.num_calls(), 2);
    assert_eq!(gone.num_calls(), 0);
}

#[tokio::test]
async fn a_production_stack_needs_its_name_on_top_of_yes() {
    for (typed, confirmed, deletes) in [
        (None, None, false),
        (Some("shop"), None, false),
        (Some("Shop"), None, true),
        (None, Some("Shop"), true),
    ] {
        let deleted = Arc::new(Mutex::new(false));
        let (stacks, (resources, template), gone, events) = (
            describe(&deleted, false),
            live(),
            delete(&deleted),
            no_events(),
        );
        let client = [&stacks, &resources, &template, &gone, &events];
        let mut ui = typist(typed);
        let result = engine(&client)
            .destroy(
                &deployable(),
                &options(true, confirmed),
                &mut ui,
                std::future::pending(),
            )
            .await;
        assert_eq!(
            result.is_ok(),
            deletes,
            "{typed:?} {confirmed:?}: {result:?}"
        );
        assert_eq!(
            gone.num_calls(),
            usize::from(deletes),
            "{typed:?} {confirmed:?}"
        );
        if typed.is_none() && confirmed.is_none() {
            let error = result.expect_err("refused").to_string();
            assert!(error.contains("pass --confirm-stack Shop"), "{error}");
        }
    }
}

#[tokio::test]
async fn a_stack_with_termination_protection_is_refused() {
    let deleted = Arc::new(Mutex::new(false));
    let (stacks, (resources, template), gone, events) = (
        describe(&deleted, true),
        live(),
        delete(&deleted),
        no_events(),
    );
    let client = [&stacks, &resources, &template, &gone, &events];
    let error = engine(&client)
        .destroy(
            &deployable(),
            &options(false, None),
            &mut typist(None),
            std::future::pending(),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, DeployError::Blocked { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("turn termination protection off first"),
        "{error}"
    );
    assert_eq!(gone.num_calls(), 0);
}

/// A user who confirms while another run deletes the stack and creates one of the same
/// name (a new id).
struct SlowReader {
    recreated: Arc<Mutex<bool>>,
}

impl Ui for SlowReader {
    fn status(&mut self, _: &str) {}
    fn resource_event(&mut self, _: &ResourceEvent) {}
    fn plan(&mut self, _: &Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        *self.recreated.lock().expect("lock") = true;
        true
    }
}

#[tokio::test]
async fn destroy_deletes_the_stack_it_listed_by_its_id_and_never_its_successor() {
    for recreated_meanwhile in [false, true] {
        let recreated = Arc::new(Mutex::new(false));
        let now = recreated.clone();
        let deleted = Arc::new(Mutex::new(false));
        let is_deleted = deleted.clone();
        let stacks = on("DescribeStacks").reply(move |_| {
            if *is_deleted.lock().expect("lock") {
                return "<Stacks/>".to_owned();
            }
            let id = if *now.lock().expect("lock") {
                "Shop/2"
            } else {
                "Shop/1"
            };
            let stack = el("StackName", "Shop")
                + &el(
                    "StackId",
                    &format!("arn:aws:cloudformation:eu-west-2:123456789012:stack/{id}"),
                )
                + &el("StackStatus", "UPDATE_COMPLETE");
            list("Stacks", &[stack])
        });
        // Only a deletion by the listed stack's id matches.
        let gone = on("DeleteStack")
            .when(|r| r.get("StackName") == Some(common::STACK_ID))
            .reply(move |_| {
                *deleted.lock().expect("lock") = true;
                String::new()
            });
        let (resources, template) = live();
        let events = no_events();
        let client = [&stacks, &resources, &template, &gone, &events];
        let mut ui = SlowReader {
            recreated: if recreated_meanwhile {
                recreated.clone()
            } else {
                Arc::new(Mutex::new(false))
            },
        };
        let asking = DeployOptions {
            yes: false,
            ..options(false, None)
        };
        let result = engine(&client)
            .destroy(&deployable(), &asking, &mut ui, std::future::pending())
            .await;
        if recreated_meanwhile {
            let error = result.expect_err("refused");
            assert!(
                matches!(error, DeployError::ChangedSinceListed { .. }),
                "{error}"
            );
            assert!(error.to_string().contains("nothing was deleted"), "{error}");
            assert_eq!(gone.num_calls(), 0, "the new stack is not deleted");
        } else {
            assert_eq!(gone.num_calls(), 1, "{result:?}");
        }
    }
}

#[tokio::test]
async fn a_snapshot_policy_is_reported_as_deleted_with_its_snapshot_kept() {
    let deleted = Arc::new(Mutex::new(false));
    let (stacks, (resources, template), gone, events) = (
        describe(&deleted, false),
        live_with(
            "CREATE_COMPLETE",
            r#","Db":{"Type":"AWS::RDS::DBCluster","DeletionPolicy":"Snapshot"}"#,
        ),
        delete(&deleted),
        no_events(),
    );
    let client = [&stacks, &resources, &template, &gone, &events];
    let mut ui = typist(None);
    let fates = engine(&client)
        .destroy(
            &deployable(),
            &options(false, None),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("destroyed");
    let db = fates
        .iter()
        .find(|f| f.logical_id == "Db")
        .expect("the database");
    assert_eq!(db.end, End::Snapshotted);
    assert!(!db.end.stays(), "the cluster itself does not stay");
    assert!(
        ui.said.iter().any(|s| s == "Db (AWS::RDS::DBCluster, db-1) is deleted after a final snapshot, which stays (DeletionPolicy Snapshot)"),
        "{:?}",
        ui.said
    );
}

#[tokio::test]
async fn a_stack_whose_deletion_failed_is_finished_by_retaining_what_failed() {
    let deleted = Arc::new(Mutex::new(false));
    let is_deleted = deleted.clone();
    let stacks = on("DescribeStacks").reply(move |_| {
        if *is_deleted.lock().expect("lock") {
            return "<Stacks/>".to_owned();
        }
        common::stack("DELETE_FAILED", "")
    });
    let (resources, template) = live_with("DELETE_FAILED", "");
    // Only a deletion that retains exactly the VPC, whose deletion failed, matches.
    let marker = deleted.clone();
    let gone = on("DeleteStack")
        .when(|r| r.items("RetainResources") == ["Vpc"])
        .reply(move |_| {
            *marker.lock().expect("lock") = true;
            String::new()
        });
    let events = no_events();
    let client = [&stacks, &resources, &template, &gone, &events];
    let mut ui = typist(None);
    let fates = engine(&client)
        .destroy(
            &deployable(),
            &options(false, None),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("finished");
    assert_eq!(gone.num_calls(), 1);
    let vpc = fates
        .iter()
        .find(|f| f.logical_id == "Vpc")
        .expect("the VPC");
    assert_eq!(vpc.end, End::RetainedAfterFailure);
    assert!(
        ui.said.iter().any(|s| s
            .starts_with("Vpc (AWS::EC2::VPC, vpc-1) stays behind: its deletion failed before")),
        "{:?}",
        ui.said
    );
}
