//! One test per rule family: the smallest spec that breaks it, and the code and line reported.

use crate::diag::Code;

const HEAD: &str = "[platform]\nname = \"shop\"\n[environments.production]\n";

/// (code, line) of every error for `HEAD + body`; lines count from the body's first line.
fn findings(body: &str) -> Vec<(Code, usize)> {
    all_findings(body)
        .into_iter()
        .filter(|(code, _)| code.severity() == crate::diag::Severity::Error)
        .collect()
}

/// Like `findings`, warnings included.
fn all_findings(body: &str) -> Vec<(Code, usize)> {
    let text = format!("{HEAD}{body}");
    let mut document = match crate::spec::parse(&text) {
        Ok(document) => document,
        Err(problems) => return problems.iter().map(|d| (d.code, line(&text, d))).collect(),
    };
    let (envs, mut problems) = crate::resolve::resolve(&mut document);
    problems.extend(document.recovered.iter().cloned());
    problems.extend(super::check(
        &document,
        &envs,
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
    ));
    let mut found: Vec<(Code, usize)> = problems.iter().map(|d| (d.code, line(&text, d))).collect();
    found.sort();
    found.dedup();
    found
}

fn line(text: &str, diagnostic: &crate::diag::Diagnostic) -> usize {
    let start = diagnostic.span.clone().map_or(0, |s| s.start);
    text[..start].matches('\n').count() + 1 - HEAD.matches('\n').count()
}

const WEB: &str = "[services.web]\nimage = \"web:1\"\nport = 8080\nprobes = { readiness = \"/ready\" }\n";

#[test]
fn a_clean_service_has_no_findings() {
    assert_eq!(findings(WEB), vec![]);
}

#[test]
fn e0003_missing_image_and_engine() {
    assert_eq!(
        findings("[services.web]\nport = 1\nprobes = { readiness = \"/r\" }\n[datastores.db]\nversion = \"15\"\n"),
        vec![(Code::E0003, 1), (Code::E0003, 4)]
    );
}

#[test]
fn e0003_empty_or_malformed_image() {
    for image in ["", " ", " web:1", "web:1 ", "web\\n:1"] {
        let spec = format!("[services.web]\nport = 1\nprobes = {{ readiness = \"/r\" }}\nimage = \"{image}\"\n");
        assert!(findings(&spec).contains(&(Code::E0003, 4)), "{image:?}");
    }
}

#[test]
fn e0003_a_program_list_without_a_program() {
    for (key, list) in [("command", "[]"), ("migrate", "[\"\"]"), ("probes", "{ command = [] }")] {
        let spec = format!("[services.web]\nimage = \"web:1\"\nreplicas = 2\n{key} = {list}\n");
        assert_eq!(findings(&spec), vec![(Code::E0003, 4)], "{key} = {list}");
    }
    assert_eq!(findings(&format!("{WEB}command = [\"/app\"]\nargs = []\n")), vec![]);
}

#[test]
fn e0010_bad_names_and_labels() {
    let found = findings(&format!(
        "{WEB}labels = {{ \"bad key!\" = \"x\" }}\n[services.Api]\nimage = \"a:1\"\n"
    ));
    assert!(found.contains(&(Code::E0010, 5)), "{found:?}");
    assert!(found.contains(&(Code::E0010, 6)), "{found:?}");
}

#[test]
fn e0020_e0021_quantities() {
    assert_eq!(
        findings(&format!("{WEB}resources = {{ cpu = \"1x\" }}\n")),
        vec![(Code::E0020, 5)]
    );
    assert_eq!(
        findings(&format!(
            "{WEB}resources = {{ memory = \"1Gi\", memory_limit = \"512Mi\" }}\n"
        )),
        vec![(Code::E0021, 5)]
    );
}

#[test]
fn e0022_durations_percents_ratios() {
    assert_eq!(
        findings("[alerts]\nerror_rate = 1.5\ndown_for = \"5 minutes\"\n"),
        vec![(Code::E0022, 2), (Code::E0022, 3)]
    );
    let found = findings(&format!(
        "{WEB}resources = {{ cpu = \"1\" }}\nautoscale = {{ min = 2, max = 3, cpu = 120 }}\n"
    ));
    assert_eq!(found, vec![(Code::E0022, 6)]);
}

#[test]
fn e0030_references() {
    let found = findings(&format!(
        "{WEB}uses = [\"dbb\"]\ntier = \"gold\"\n[environments.production.services.wbe]\nreplicas = 2\n"
    ));
    assert_eq!(found, vec![(Code::E0030, 5), (Code::E0030, 6), (Code::E0030, 7)]);
}

#[test]
fn e0040_autoscale() {
    assert_eq!(
        findings(&format!("{WEB}autoscale = {{ min = 0, max = 3 }}\n")),
        vec![(Code::E0040, 5)]
    );
    assert_eq!(
        findings(&format!("{WEB}replicas = 5\nautoscale = {{ min = 2, max = 3 }}\n")),
        vec![(Code::E0040, 5)]
    );
    assert_eq!(
        findings(&format!("{WEB}autoscale = {{ min = 2, max = 3, memory = 80 }}\n")),
        vec![(Code::E0040, 5)]
    );
}

#[test]
fn e0050_ports() {
    assert_eq!(
        findings("[services.web]\nimage = \"web:1\"\nport = 70000\nprobes = { readiness = \"/ready\" }\n"),
        vec![(Code::E0050, 3)]
    );
}

#[test]
fn e0051_paths() {
    assert_eq!(
        findings("[services.web]\nimage = \"web:1\"\nport = 80\nprobes = { readiness = \"ready\" }\n"),
        vec![(Code::E0051, 4)]
    );
}

#[test]
fn e0060_e0061_secrets() {
    assert_eq!(
        findings(&format!("{WEB}env = {{ API_TOKEN = \"x\" }}\n")),
        vec![(Code::E0060, 5)]
    );
    let found = findings(&format!(
        "{WEB}secrets = {{ A = \"nokey\" }}\negress = [\"1.2.3.4:80\"]\ntolerations = [\"a=b:Sometimes\"]\n"
    ));
    assert_eq!(found, vec![(Code::E0061, 5), (Code::E0061, 6), (Code::E0061, 7)]);
    assert_eq!(
        findings(&format!("{WEB}env = {{ A = \"1\" }}\nsecrets = {{ A = \"s/k\" }}\n")),
        vec![(Code::E0061, 5)]
    );
}

#[test]
fn e0070_quota_counts_surge_pods_and_datastores() {
    let spec = "[environments.production.quota]\npods = 3\npvcs = 0\n[services.web]\nimage = \"web:1\"\nport = 80\nprobes = { readiness = \"/r\" }\nreplicas = 2\n[datastores.db]\nengine = \"redis\"\n";
    assert_eq!(findings(spec), vec![(Code::E0070, 2), (Code::E0070, 3)]);
    // 2 replicas + 1 surge pod, the datastore and its exporter.
    let fits = "[environments.production.quota]\npods = 5\npvcs = 1\n[services.web]\nimage = \"web:1\"\nport = 80\nprobes = { readiness = \"/r\" }\nreplicas = 2\n[datastores.db]\nengine = \"redis\"\n";
    assert_eq!(findings(fits), vec![]);
}

#[test]
fn e0080_slo() {
    assert_eq!(
        findings(&format!("{WEB}slo = {{ availability = 100 }}\n")),
        vec![(Code::E0080, 5)]
    );
    assert_eq!(
        findings(&format!("{WEB}slo = {{ availability = 90 }}\n")),
        vec![(Code::E0080, 5)]
    );
    assert_eq!(
        findings(&format!("{WEB}slo = {{ availability = 99, window = \"36h\" }}\n")),
        vec![(Code::E0080, 5)]
    );
}

#[test]
fn e0090_routes_need_a_host() {
    assert_eq!(findings(&format!("{WEB}routes = [\"/api\"]\n")), vec![(Code::E0090, 5)]);
}

#[test]
fn warnings() {
    assert_eq!(
        all_findings("[services.web]\nimage = \"web\"\nport = 80\n"),
        vec![(Code::W0001, 2), (Code::W0002, 3), (Code::W0003, 1)]
    );
    assert_eq!(
        all_findings(&format!("{WEB}replicas = 2\n")),
        vec![],
        "two replicas and a readiness probe: nothing to warn about"
    );
}

#[test]
fn e0003_root_uid() {
    assert_eq!(findings(&format!("{WEB}run_as_user = 0\n")), vec![(Code::E0003, 5)]);
}

#[test]
fn e0010_colliding_object_names() {
    let found = findings(&format!(
        "{WEB}[datastores.web]\nengine = \"redis\"\n[services.default-deny]\nimage = \"x:1\"\n"
    ));
    assert_eq!(found, vec![(Code::E0010, 5), (Code::E0010, 7)]);
}

#[test]
fn e0022_counts_that_do_not_fit() {
    assert_eq!(
        findings(&format!("{WEB}replicas = 99999999999\n")),
        vec![(Code::E0022, 5)]
    );
    assert_eq!(
        findings(&format!("{WEB}disruption = {{ min_available = \"150%\" }}\n")),
        vec![(Code::E0022, 5)]
    );
    assert_eq!(
        findings("[ingress]\nhost = \"a.b\"\nrate_limit_rps = -1\n"),
        vec![(Code::E0022, 3)]
    );
    assert_eq!(
        findings("[environments.production.quota]\npods = 99999999999\n"),
        vec![(Code::E0022, 2)]
    );
}

#[test]
fn e0003_settings_that_would_inject_configuration() {
    let body = "[datastores.cache]\nengine = \"redis\"\nsettings = { \"maxmemory 1\\nrequirepass\" = \"x\", requirepass = \"y\", maxmemory = \"1\\n2\" }\n";
    let found = findings(body);
    assert_eq!(found, vec![(Code::E0003, 3)], "every problem is on the settings line");
}

#[test]
fn e0051_writable_paths() {
    assert_eq!(
        findings(&format!("{WEB}writable = [\"tmp\", \"/a\", \"/a\"]\n")),
        vec![(Code::E0051, 5)]
    );
}

#[test]
fn e0003_no_targets() {
    assert_eq!(
        findings("[environments.production.services.x]\n").len(),
        1,
        "an override of nothing"
    );
    let text = "[platform]\nname = \"shop\"\n[environments.production]\ntargets = []\n";
    let mut document = crate::spec::parse(text).ok().unwrap();
    let (envs, _) = crate::resolve::resolve(&mut document);
    let found: Vec<Code> = super::check(&document, &envs, std::path::Path::new("."))
        .into_sorted()
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(found, vec![Code::E0003]);
}

#[test]
fn e0061_secret_file_variable_set_in_env() {
    let body = format!("{WEB}secrets = {{ DB = \"db/url\" }}\nsecret_files = true\nenv = {{ DB_FILE = \"/x\" }}\n");
    assert_eq!(findings(&body), vec![(Code::E0061, 7)]);
    let without_files = body.replace("secret_files = true", "secret_files = false");
    assert_eq!(findings(&without_files), vec![]);
}

const PG: &str = "[datastores.db]\nengine = \"postgres\"\n";

#[test]
fn e0093_backup_and_operator() {
    let cases = [
        // line 3: s3 without credentials (reported at the backup table)
        (
            "backup = { schedule = \"0 2 * * *\", to = \"s3://bucket/pg\" }\n",
            vec![(Code::E0093, 3)],
        ),
        (
            "backup = { schedule = \"0 2 * * *\", to = \"ftp://host/pg\" }\n",
            vec![(Code::E0093, 3)],
        ),
        (
            "backup = { schedule = \"0 2 * * *\", to = \"volume\", keep = 0 }\n",
            vec![(Code::E0093, 3)],
        ),
        ("instances = 2\n", vec![(Code::E0093, 3)]),
        ("pooler = { instances = 2 }\n", vec![(Code::E0093, 3)]),
        ("operator = \"zalando\"\n", vec![(Code::E0093, 3)]),
        (
            "operator = \"cloudnative-pg\"\npooler = { mode = \"statement\" }\n",
            vec![(Code::E0093, 4)],
        ),
        (
            "backup = { schedule = \"0 2 * * *\", to = \"volume\", credentials = \"s3\" }\n",
            vec![(Code::E0093, 3)],
        ),
        (
            "backup = { schedule = \"0 2 * *\", to = \"volume\" }\n",
            vec![(Code::E0023, 3)],
        ),
        ("backup = { to = \"volume\" }\n", vec![(Code::E0003, 3)]),
    ];
    for (extra, expected) in cases {
        assert_eq!(findings(&format!("{PG}{extra}")), expected, "{extra}");
    }
    let redis = "[datastores.cache]\nengine = \"redis\"\noperator = \"cloudnative-pg\"\n";
    assert_eq!(findings(redis), vec![(Code::E0093, 3)]);
}

#[test]
fn valid_backups_and_operator_pass() {
    let spec = format!(
        "{PG}operator = \"cloudnative-pg\"\ninstances = 3\npooler = {{ instances = 2, mode = \"session\" }}\n\
         backup = {{ schedule = \"@daily\", keep = 3, to = \"s3://my-bucket/a/b\", credentials = \"s3\", endpoint = \"http://minio:9000\" }}\n"
    );
    assert_eq!(findings(&spec), vec![]);
}

#[test]
fn e0070_counts_operator_instances_exporters_and_backups() {
    let quota = "[environments.production.quota]\npods = 4\n";
    let spec = format!(
        "{quota}{PG}operator = \"cloudnative-pg\"\ninstances = 3\n\
         backup = {{ schedule = \"0 2 * * *\", to = \"volume\" }}\n"
    );
    // 3 instances + exporter + backup job = 5 pods > 4.
    assert_eq!(findings(&spec), vec![(Code::E0070, 2)]);
    let fits = spec.replace("pods = 4", "pods = 5");
    assert_eq!(findings(&fits), vec![]);
}
mod metrics;
mod names;
mod rollout;
