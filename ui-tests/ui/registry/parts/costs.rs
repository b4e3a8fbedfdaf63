//! A component with a raw type that only some regions offer.

use infra_macros::component;
use infra_runtime::Value;

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
