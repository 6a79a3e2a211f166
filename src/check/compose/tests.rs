//! The smallest Compose environments that break each rule, and the line reported.

use crate::diag::Code;

const HEAD: &str = "[platform]\nname = \"shop\"\n[environments.dev]\ntargets = [\"compose\"]\n";
const WEB: &str = "[services.web]\nimage = \"web:1\"\nport = 8080\nprobes = { readiness = \"/ready\" }\n";

/// Every diagnostic the Compose rule finds in a whole spec.
fn diagnostics(text: &str) -> Vec<crate::diag::Diagnostic> {
    let mut document = crate::spec::parse(text).expect("the test spec parses");
    let (envs, _) = crate::resolve::resolve(&mut document);
    let mut out = crate::diag::Diagnostics::default();
    let context = super::Context {
        document: &document,
        dir: std::path::Path::new("."),
        spec: &document.spec,
        envs: &envs,
    };
    super::check(&context, &mut out);
    out.into_sorted()
}

/// (code, line) of every compose diagnostic for `HEAD + body`; lines count from the body.
fn findings(body: &str) -> Vec<(Code, usize)> {
    let text = format!("{HEAD}{body}");
    let line = |start: usize| text[..start].matches('\n').count() + 1 - HEAD.matches('\n').count();
    let mut found: Vec<(Code, usize)> = diagnostics(&text)
        .iter()
        .map(|d| (d.code, line(d.span.clone().map_or(0, |s| s.start))))
        .collect();
    found.dedup();
    found
}

#[test]
fn a_clean_compose_environment_has_no_findings() {
    assert_eq!(findings(WEB), vec![]);
}

#[test]
fn kubernetes_environments_are_not_checked() {
    let kubernetes_only = "[platform]\nname = \"shop\"\n[environments.dev]\n[services.grafana]\nimage = \"g:1\"\n";
    assert!(diagnostics(kubernetes_only).is_empty());
}

#[test]
fn e0100_reserved_names() {
    assert_eq!(
        findings("[services.grafana]\nimage = \"g:1\"\n"),
        vec![(Code::E0100, 1)]
    );
    assert_eq!(
        findings("[datastores.prometheus]\nengine = \"redis\"\n"),
        vec![(Code::E0100, 1)]
    );
    let no_monitoring = "monitoring = false\n[services.grafana]\nimage = \"g:1\"\n";
    assert_eq!(findings(no_monitoring), vec![]);
    let ingress = format!("{WEB}routes = [\"/\"]\n[services.ingress]\nimage = \"i:1\"\n");
    assert_eq!(findings(&ingress), vec![(Code::E0100, 6)]);
}

#[test]
fn e0100_service_and_datastore_share_a_name() {
    let body = format!("{WEB}[datastores.web]\nengine = \"redis\"\n");
    assert_eq!(findings(&body), vec![(Code::E0100, 5)]);
}

#[test]
fn e0100_migration_name_taken() {
    let body = format!("{WEB}migrate = [\"m\"]\n[services.web-migrate]\nimage = \"w:1\"\n");
    assert_eq!(findings(&body), vec![(Code::E0100, 5)]);
}

#[test]
fn e0100_one_variable_two_secrets() {
    let body = format!(
        "{WEB}secrets = {{ URL = \"a/url\" }}\n[services.api]\nimage = \"a:1\"\nsecrets = {{ URL = \"b/url\" }}\n"
    );
    assert_eq!(findings(&body), vec![(Code::E0100, 5)]);
    let same = format!(
        "{WEB}secrets = {{ URL = \"a/url\" }}\n[services.api]\nimage = \"a:1\"\nsecrets = {{ URL = \"a/url\" }}\n"
    );
    assert_eq!(findings(&same), vec![]);
}

#[test]
fn e0100_datastore_password_and_platc_variables() {
    let body =
        format!("{WEB}secrets = {{ DB_PASSWORD = \"x/y\" }}\n[datastores.db]\nengine = \"redis\"\nsecret = \"s\"\n");
    assert_eq!(findings(&body), vec![(Code::E0100, 5)]);
    let matching = format!(
        "{WEB}secrets = {{ DB_PASSWORD = \"s/password\" }}\n[datastores.db]\nengine = \"redis\"\nsecret = \"s\"\n"
    );
    assert_eq!(findings(&matching), vec![]);
    let platc = format!("{WEB}secrets = {{ PLATC_HTTP_PORT = \"x/y\" }}\n");
    assert_eq!(findings(&platc), vec![(Code::E0100, 5)]);
}

#[test]
fn e0100_routes_nginx_cannot_take() {
    for bad in ["/a b", "/a;b", "/a{b}", "/$x", "/a#b", "/a\\\"b", "/a\\nb"] {
        let body = format!("{WEB}routes = [\"{bad}\"]\n");
        assert_eq!(findings(&body), vec![(Code::E0100, 5)], "{bad}");
    }
    assert_eq!(findings(&format!("{WEB}routes = [\"/api/v1.2_x~y-z\"]\n")), vec![]);
}

#[test]
fn e0100_nul_in_values() {
    let body = format!("{WEB}env = {{ A = \"x\\u0000y\" }}\nargs = [\"\\u0000\"]\n");
    assert_eq!(findings(&body), vec![(Code::E0100, 5), (Code::E0100, 6)]);
}

#[test]
fn w0004_external_datastore() {
    let body =
        format!("{WEB}uses = [\"db\"]\n[datastores.db]\nengine = \"postgres\"\nexternal = \"db.example.com:5432\"\n");
    assert_eq!(findings(&body), vec![(Code::W0004, 8)]);
}

#[test]
fn e0100_what_compose_cannot_run() {
    assert_eq!(findings(&format!("{WEB}replicas = 0\n")), vec![(Code::E0100, 5)]);
    assert_eq!(findings(&format!("{WEB}replicas = 1\n")), vec![]);
    let cpu = format!("{WEB}resources = {{ cpu = \"0\", memory = \"1Mi\" }}\n");
    assert_eq!(findings(&cpu), vec![(Code::E0100, 5)]);
    let limit = format!("{WEB}resources = {{ cpu_limit = \"0m\" }}\n");
    assert_eq!(findings(&limit), vec![(Code::E0100, 5)]);
    let datastore = "[datastores.db]\nengine = \"redis\"\nresources = { cpu = \"0\" }\n";
    assert_eq!(findings(datastore), vec![(Code::E0100, 3)]);
    let external = "[datastores.db]\nengine = \"redis\"\nexternal = \"db:6379\"\nresources = { cpu = \"0\" }\n";
    assert_eq!(
        findings(external),
        vec![(Code::W0004, 3)],
        "an external datastore runs no container"
    );
}

#[test]
fn e0100_an_environment_with_nothing_to_run() {
    let empty = diagnostics(&format!("{HEAD}monitoring = false\n"));
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0].code, Code::E0100);
    let text = format!("{HEAD}monitoring = false\n");
    assert_eq!(
        &text[empty[0].span.clone().unwrap()],
        "dev",
        "at the environment's name"
    );
    assert!(diagnostics(HEAD).is_empty(), "monitoring alone is something to run");
    assert!(
        diagnostics(&format!(
            "{HEAD}monitoring = false\n[datastores.db]\nengine = \"redis\"\n"
        ))
        .is_empty()
    );
}
