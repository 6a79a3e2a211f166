//! Checks whose values can come from several layers (container defaults, tier, the
//! environment's tier override, service, the environment's service override) point at the
//! layer that set the wrong value, with the value it contradicts as a label.

use crate::diag::{Code, Diagnostic};

/// The errors of `text`, each as (code, line of the caret, lines of the labels).
fn errors(text: &str) -> Vec<(Code, usize, Vec<usize>)> {
    let line = |offset: usize| text[..offset].matches('\n').count() + 1;
    let Err(crate::Failure::Invalid(diagnostics)) = crate::compile(text) else {
        panic!("the spec is invalid")
    };
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d: &Diagnostic| {
            let labels = d.labels.iter().map(|(span, _)| line(span.start)).collect();
            (d.code, line(d.span.clone().unwrap().start), labels)
        })
        .collect()
}

const BASE: &str = "[platform]\nname = \"shop\"\n\
    [tiers.core]\nautoscale = { min = 2, max = 6 }\nresources = { memory = \"256Mi\", memory_limit = \"512Mi\" }\n\
    [services.web]\ntier = \"core\"\nimage = \"web:1\"\nmetrics = false\nprobes = { command = [\"true\"] }\n\
    [environments.production]\n";
// Lines: 4 tier autoscale, 5 tier resources, 12 the override table below, 13 its value.

#[test]
fn autoscale_bounds_from_an_environment_override_point_at_the_override() {
    let text = format!("{BASE}[environments.production.services.web]\nautoscale = {{ min = 4, max = 2 }}\n");
    assert_eq!(errors(&text), vec![(Code::E0040, 13, vec![13])]);
}

#[test]
fn an_override_of_one_bound_points_at_it_and_labels_the_tier_bound() {
    let text = format!("{BASE}[environments.production.services.web]\nautoscale = {{ max = 1 }}\n");
    assert_eq!(errors(&text), vec![(Code::E0040, 13, vec![4])]);
}

#[test]
fn an_environment_tier_override_beats_the_tier() {
    let text = format!("{BASE}[environments.production.tiers.core]\nautoscale = {{ min = 9 }}\n");
    assert_eq!(errors(&text), vec![(Code::E0040, 13, vec![4])]);
}

#[test]
fn replicas_outside_the_tier_range_point_at_the_replicas_override() {
    let text = format!("{BASE}[environments.production.services.web]\nreplicas = 9\n");
    assert_eq!(errors(&text), vec![(Code::E0040, 13, vec![4])]);
}

#[test]
fn a_request_raised_above_the_tier_limit_points_at_the_request() {
    let text = format!("{BASE}[environments.production.services.web]\nresources = {{ memory = \"1Gi\" }}\n");
    assert_eq!(errors(&text), vec![(Code::E0021, 13, vec![5])]);
}

#[test]
fn a_limit_lowered_below_the_tier_request_points_at_the_limit() {
    let text = format!("{BASE}[environments.production.services.web]\nresources = {{ memory_limit = \"128Mi\" }}\n");
    assert_eq!(errors(&text), vec![(Code::E0021, 13, vec![5])]);
}

#[test]
fn container_defaults_are_the_lowest_layer() {
    // The tier's limit (line 5) replaces the defaults' one: the service is consistent.
    let text = format!("{BASE}container_defaults = {{ memory_limit = \"1Mi\" }}\n");
    assert!(crate::compile(&text).is_ok());
}

#[test]
fn single_values_from_any_layer_point_at_their_own_line() {
    let text = format!(
        "{BASE}container_defaults = {{ cpu = \"1x\" }}\n[environments.production.services.web]\nport = 70000\n"
    );
    assert_eq!(
        errors(&text),
        vec![(Code::E0020, 12, vec![]), (Code::E0050, 14, vec![])]
    );
}
