//! What a diagnostic tells a person beyond the problem: the value they likely meant, and
//! warnings a service or tier accepts on purpose (`allow`).

use crate::diag::{Code, Diagnostic};

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match crate::compile(text) {
        Ok(compilation) => compilation.warnings,
        Err(crate::Failure::Invalid(found)) => found,
        Err(crate::Failure::Internal(message)) => panic!("{message}"),
    }
}

fn help_of(text: &str, code: Code) -> String {
    let found = diagnostics(text);
    let diagnostic = found
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {found:?}"));
    diagnostic.help.clone().unwrap_or_default()
}

const HEAD: &str = "[platform]\nname = \"shop\"\n[environments.production]\n";

#[test]
fn a_memory_size_in_megabytes_suggests_mebibytes() {
    let text = format!("{HEAD}[services.web]\nimage = \"web:1\"\nreplicas = 2\nresources = {{ memory = \"512mb\" }}\n");
    assert_eq!(help_of(&text, Code::E0020), "did you mean `512Mi`?");
}

#[test]
fn an_objective_written_as_a_ratio_suggests_the_percent() {
    let text = format!("{HEAD}[services.web]\nimage = \"web:1\"\nreplicas = 2\nslo = {{ availability = 0.999 }}\n");
    assert_eq!(
        help_of(&text, Code::E0080),
        "objectives are percents: did you mean `99.9`?"
    );
}

#[test]
fn a_missing_required_key_says_what_to_add() {
    let help = help_of("[platform]\nteam = \"t\"\n", Code::E0003);
    assert!(help.starts_with("add `name = …` to [platform]"), "{help}");
}

#[test]
fn an_error_without_specific_advice_points_at_explain() {
    let text = format!("{HEAD}[services.web]\nimage = \"web:1\"\nreplicas = 2\nport = 70000\n");
    assert_eq!(
        help_of(&text, Code::E0050),
        "`platc explain E0050` says what this means and how to fix it"
    );
}

const PAGING_SINGLE: &str = "[services.web]\nimage = \"web\"\nmetrics = false\nprobes = { command = [\"true\"] }\n";

fn warning_codes(text: &str) -> Vec<Code> {
    diagnostics(text).iter().map(|d| d.code).collect()
}

#[test]
fn a_service_accepts_the_warnings_it_allows() {
    assert_eq!(
        warning_codes(&format!("{HEAD}{PAGING_SINGLE}")),
        vec![Code::W0003, Code::W0001]
    );
    let allowed = format!("{HEAD}{PAGING_SINGLE}allow = [\"W0003\"]\n");
    assert_eq!(
        warning_codes(&allowed),
        vec![Code::W0001],
        "only the listed warning goes"
    );
}

#[test]
fn a_tier_allows_for_its_services() {
    let text = format!("{HEAD}[tiers.batch]\nallow = [\"W0003\", \"w0001\"]\n{PAGING_SINGLE}tier = \"batch\"\n");
    assert_eq!(warning_codes(&text), Vec::<Code>::new());
}

#[test]
fn only_warning_codes_can_be_allowed() {
    let text = format!("{HEAD}{PAGING_SINGLE}allow = [\"E0040\", \"W003\"]\n");
    let errors: Vec<(Code, String)> = diagnostics(&text)
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| (d.code, d.help.unwrap_or_default()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|(code, _)| *code == Code::E0030));
    assert_eq!(errors[1].1, "did you mean `W0003`?");
}
