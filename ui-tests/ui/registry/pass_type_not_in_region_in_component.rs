//! A component has no region of its own, so it compiles with a raw type that only some
//! regions offer; the stack that builds it in a region without that type fails synthesis,
//! naming the resource, the regions that offer it and the component's line. The same
//! component in a region that offers the type synthesizes.

use infra_macros::{component, stack};
use infra_runtime::Value;
use infra_runtime::aws::cur::report_definition;

component! {
    /// A monthly cost report.
    pub component Costs {}

    resource report: cur::ReportDefinition {
        report_name: "monthly".into(),
        time_unit: report_definition::TimeUnit::Monthly.into(),
        format: report_definition::Format::TextORcsv.into(),
        compression: report_definition::Compression::Gzip.into(),
        s3_bucket: Value::external("reports"),
        s3_prefix: "cur".into(),
        s3_region: "eu-west-2".into(),
        refresh_closed_reports: true.into(),
        report_versioning: report_definition::ReportVersioning::CreateNewReport.into(),
    }
}

stack! {
    pub stack London { region: "eu-west-2" }
    construct costs: Costs {}
}

stack! {
    pub stack Virginia { region: "us-east-1" }
    construct costs: Costs {}
}

fn main() {
    let london = London::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let error = london.stack.synth().expect_err("eu-west-2 offers no cost reports").to_string();
    assert!(
        error.contains("resource `CostsReport` is a `AWS::CUR::ReportDefinition`, which eu-west-2, the stack's region, does not offer"),
        "{error}"
    );
    assert!(error.contains("us-east-1"), "{error}");
    assert!(error.contains("pass_type_not_in_region_in_component.rs:14"), "{error}");

    let virginia = Virginia::new(&infra_runtime::StackConfig::new("qa", "us-east-1"));
    virginia.stack.synth().expect("us-east-1 offers cost reports");
}
