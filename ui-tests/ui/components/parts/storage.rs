use infra_macros::component;

component! {
    /// Keys, logs and buckets.
    pub component Storage {}

    pub key data_key { allow_logs: true }
    pub key plain_key { allow_logs: false }
    pub log_group app_logs { retention_days: 365, key: data_key }
    pub log_group audit_logs { retention_days: 365, key: data_key }
    pub bucket access_logs { encryption: s3_managed, load_balancer_logs: true }
    pub bucket records { encryption: kms(data_key) }
    pub secret api_key { key: data_key }
    pub secret report_key { key: data_key }
}
