//! E0081 for `[platform.metrics]` values the generated `PromQL` could not use.

use super::findings;
use crate::diag::Code;

fn metrics(body: &str) -> String {
    // HEAD leaves us in [environments.production]; the platform table is reopened by a dotted
    // header, so the values are on lines 2 and after.
    format!("[platform.metrics]\n{body}")
}

#[test]
fn metric_names_must_be_prometheus_names() {
    assert_eq!(findings(&metrics("requests = \"a\\u0000b\"\n")), vec![(Code::E0081, 2)]);
    assert_eq!(
        findings(&metrics("latency = \"http duration\"\n")),
        vec![(Code::E0081, 2)]
    );
    assert_eq!(findings(&metrics("requests = \"9lives\"\n")), vec![(Code::E0081, 2)]);
    let fine = "requests = \"app:http_requests_total\"\nlatency = \"_latency_seconds\"\n";
    assert_eq!(findings(&metrics(fine)), vec![]);
}

#[test]
fn error_status_must_be_a_regex_promql_accepts() {
    assert_eq!(findings(&metrics("error_status = \"5..(\"\n")), vec![(Code::E0081, 2)]);
    assert_eq!(
        findings(&metrics("error_status = \"5\\u0000\"\n")),
        vec![(Code::E0081, 2)]
    );
    assert_eq!(findings(&metrics("error_status = \"5..|429|\\\"x\\\\\\\\\"\n")), vec![]);
}
