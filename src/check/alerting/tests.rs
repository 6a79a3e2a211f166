//! E0091 and E0081: the smallest spec that breaks each alerting rule, with the code, line
//! and column reported.

use crate::diag::{Code, Severity};

const HEAD: &str =
    "[platform]\nname = \"shop\"\n[environments.production]\n[services.web]\nimage = \"web:1\"\nport = 8080\n";
const RECEIVERS: &str = "[alerting.receivers.chat]\nslack = \"slack/url\"\nchannel = \"#alerts\"\n[alerting.receivers.oncall]\npagerduty = \"pd/key\"\n";

/// (code, line, column) of every error for `HEAD + body`; lines count from the body's first
/// line, columns from 1.
fn errors(body: &str) -> Vec<(Code, usize, usize)> {
    let text = format!("{HEAD}{body}");
    let mut document = crate::spec::parse(&text).unwrap_or_else(|p| panic!("{body}: does not parse: {p:?}"));
    let (envs, mut problems) = crate::resolve::resolve(&mut document);
    problems.extend(crate::check::check(&document, &envs, std::path::Path::new(".")));
    let mut found: Vec<(Code, usize, usize)> = problems
        .into_iter()
        .filter(|d| d.severity() == Severity::Error)
        .map(|d| {
            let start = d.span.map_or(0, |s| s.start);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..start].matches('\n').count() + 1 - HEAD.matches('\n').count();
            (d.code, line, text[line_start..start].chars().count() + 1)
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

#[test]
fn a_complete_alerting_table_is_clean() {
    let body = format!(
        "[alerting]\nroutes = {{ critical = \"oncall\", warning = \"chat\" }}\ngroup_by = [\"alertname\", \"service\"]\nrepeat = \"2h\"\nmute = [{{ name = \"m\", weekdays = [\"sunday\"], times = \"02:00-04:00\", timezone = \"Europe/Berlin\" }}]\n{RECEIVERS}[alerting.receivers.mail]\nemail = \"ops@example.com\"\nsmtp = {{ host = \"smtp.example.com:587\", from = \"am@example.com\", password = \"smtp/password\" }}\n[alerting.receivers.hook]\nwebhook = \"hook/url\"\n"
    );
    assert_eq!(errors(&body), vec![]);
}

#[test]
fn a_route_to_an_undefined_receiver_is_located_at_the_name() {
    let body = format!("[alerting]\nroutes = {{ critical = \"oncal\", warning = \"chat\" }}\n{RECEIVERS}");
    assert_eq!(errors(&body), vec![(Code::E0091, 2, 23)]);
}

#[test]
fn routes_must_exist_name_severities_and_not_be_empty() {
    assert_eq!(
        errors(&format!("[alerting]\nroutes = {{}}\n{RECEIVERS}")),
        vec![(Code::E0091, 2, 10)]
    );
    assert_eq!(errors(&format!("[alerting]\n{RECEIVERS}")), vec![(Code::E0091, 1, 2)]);
    assert_eq!(
        errors(&format!("[alerting]\nroutes = {{ critcal = \"oncall\" }}\n{RECEIVERS}")),
        vec![(Code::E0091, 2, 22)]
    );
}

#[test]
fn an_environment_override_is_checked_merged_over_the_base() {
    let body = format!(
        "[environments.production.alerting]\nroutes = {{ critical = \"pager\" }}\n[alerting]\nroutes = {{ critical = \"oncall\" }}\n{RECEIVERS}"
    );
    assert_eq!(errors(&body), vec![(Code::E0091, 2, 23)]);
}

#[test]
fn a_receiver_has_exactly_one_channel_and_secret_refs() {
    let routes = "[alerting]\nroutes = { critical = \"r\" }\n";
    let none = format!("{routes}[alerting.receivers.r]\nchannel = \"#x\"\n");
    assert_eq!(errors(&none), vec![(Code::E0091, 3, 1), (Code::E0091, 4, 11)]);
    let two = format!("{routes}[alerting.receivers.r]\nslack = \"s/url\"\npagerduty = \"pd/key\"\n");
    assert_eq!(errors(&two), vec![(Code::E0091, 3, 1)]);
    let inline = format!("{routes}[alerting.receivers.r]\nslack = \"https://hooks.slack.com/services/T0/B0/x\"\n");
    assert_eq!(errors(&inline), vec![(Code::E0091, 4, 9)]);
}

#[test]
fn email_needs_smtp_with_a_host_port_and_addresses() {
    let routes = "[alerting]\nroutes = { critical = \"r\" }\n[alerting.receivers.r]\n";
    assert_eq!(
        errors(&format!("{routes}email = \"ops@example.com\"\n")),
        vec![(Code::E0091, 4, 9)]
    );
    let bad = format!(
        "{routes}email = \"ops\"\nsmtp = {{ host = \"smtp.example.com\", from = \"a@example.com\", password = \"pw\" }}\n"
    );
    assert_eq!(
        errors(&bad),
        vec![(Code::E0091, 4, 9), (Code::E0091, 5, 17), (Code::E0091, 5, 72)]
    );
}

#[test]
fn mute_windows_have_real_times_days_and_zones() {
    let routes = format!("[alerting]\nroutes = {{ critical = \"oncall\" }}\n{RECEIVERS}");
    let window = |fields: &str| format!("{routes}[[alerting.mute]]\nname = \"m\"\n{fields}\n");
    assert_eq!(errors(&window("times = \"25:00-26:00\"")), vec![(Code::E0091, 10, 9)]);
    assert_eq!(
        errors(&window("weekdays = [\"sunday\", \"funday\"]")),
        vec![(Code::E0091, 10, 23)]
    );
    assert_eq!(
        errors(&window("timezone = \"Europe/Berln\"")),
        vec![(Code::E0091, 10, 12)]
    );
    let unnamed = format!("{routes}[[alerting.mute]]\ntimes = \"01:00-02:00\"\n");
    assert_eq!(errors(&unnamed), vec![(Code::E0091, 8, 1)]);
}

#[test]
fn operator_mode_keeps_mute_windows_in_utc() {
    let text = format!(
        "[alerting]\nroutes = {{ critical = \"oncall\" }}\n{RECEIVERS}[[alerting.mute]]\nname = \"m\"\ntimezone = \"Europe/Berlin\"\n"
    );
    let found = errors_with_operator(&text);
    assert_eq!(found, vec![(Code::E0091, 10, 12)]);
}

fn errors_with_operator(body: &str) -> Vec<(Code, usize, usize)> {
    // `prometheus_operator` is one more line in [platform]; lines still count from the body.
    let found = errors(body);
    assert!(found.is_empty(), "without operator mode the window is fine: {found:?}");
    let text = format!("{HEAD}{body}").replace("name = \"shop\"\n", "name = \"shop\"\nprometheus_operator = true\n");
    let mut document = crate::spec::parse(&text).expect("parses");
    let (envs, _) = crate::resolve::resolve(&mut document);
    crate::check::check(&document, &envs, std::path::Path::new("."))
        .into_sorted()
        .into_iter()
        .filter(|d| d.code == Code::E0091)
        .map(|d| {
            let start = d.span.map_or(0, |s| s.start);
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..start].matches('\n').count() + 1 - HEAD.matches('\n').count() - 1;
            (d.code, line, start - line_start + 1)
        })
        .collect()
}

#[test]
fn repeat_and_group_by_are_checked() {
    let body = format!(
        "[alerting]\nroutes = {{ critical = \"oncall\" }}\nrepeat = \"4 hours\"\ngroup_by = [\"alert-name\"]\n{RECEIVERS}"
    );
    assert_eq!(errors(&body), vec![(Code::E0022, 3, 10), (Code::E0091, 4, 13)]);
}

#[test]
fn custom_alerts_are_parsed_as_promql_where_they_are_written() {
    let body = "[alerts.custom.Broken]\nseverity = \"warning\"\nexpr = \"sum(rate(http_requests_total[5m]) > 1\"\n";
    assert_eq!(errors(body), vec![(Code::E0081, 3, 12)]);
    let literal = "[alerts.custom.Stray]\nexpr = 'up{namespace=\"${namespace}\"} $ 1'\n";
    assert_eq!(errors(literal), vec![(Code::E0081, 2, 38)]);
    let fine = "[alerts.custom.Queue]\nexpr = 'max(q{namespace=\"${namespace}\"}) > 1000'\nfor = \"15m\"\n";
    assert_eq!(errors(fine), vec![]);
}

#[test]
fn custom_alert_names_severities_and_durations() {
    let body = "[alerts.custom.ServiceDown]\nexpr = \"up == 0\"\nseverity = \"page\"\nfor = \"soon\"\n";
    assert_eq!(
        errors(body),
        vec![(Code::E0022, 4, 7), (Code::E0081, 1, 16), (Code::E0081, 3, 12)]
    );
}

#[test]
fn severity_overrides_name_known_alerts() {
    let body = "[alerts]\nseverity = { HighLatncy = \"critical\", ServiceDown = \"info\" }\n";
    assert_eq!(errors(body), vec![(Code::E0081, 2, 14), (Code::E0081, 2, 53)]);
    let custom = "[alerts]\nseverity = { Mine = \"critical\" }\n[alerts.custom.Mine]\nexpr = \"up == 0\"\n";
    assert_eq!(errors(custom), vec![]);
}

#[test]
fn base_urls_and_budget_alerts() {
    let body = "[alerts]\nrunbook_base = \"runbooks.example.com\"\nrestarts = 0\n[services.web.slo]\navailability = 99.9\nbudget_alerts = [50, 0, 50]\n";
    assert_eq!(
        errors(body),
        vec![(Code::E0080, 6, 22), (Code::E0080, 6, 25), (Code::E0081, 2, 16)]
    );
}
