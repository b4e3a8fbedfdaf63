//! A resource type of the model that the stack's pinned region does not offer.

use infra_macros::stack;
use infra_runtime::Value;

stack! {
    pub stack Costs { region: "eu-west-2", name: "Costs" }
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

fn main() {}
