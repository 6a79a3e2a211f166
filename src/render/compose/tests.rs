//! Small specs, one Compose behaviour each, checked on the rendered (and verified) files.

const HEAD: &str = "[platform]\nname = \"shop\"\n[environments.dev]\ntargets = [\"compose\"]\n";

/// The files of environment `dev`, by path below `compose/dev/`.
fn tree(body: &str) -> std::collections::BTreeMap<String, String> {
    let Ok(compilation) = crate::compile(&format!("{HEAD}{body}")) else {
        panic!("does not compile: {body}")
    };
    let files = match crate::render(&compilation.platform) {
        Ok(files) => files,
        Err(crate::Failure::Internal(e)) => panic!("{e}"),
        Err(_) => unreachable!(),
    };
    files
        .into_iter()
        .filter_map(|f| Some((f.path.strip_prefix("compose/dev/")?.to_string(), f.contents)))
        .collect()
}

fn compose(body: &str) -> serde_json::Value {
    serde_norway::from_str(&tree(body)["compose.yaml"]).unwrap()
}

/// Scraped on port 8080 (an environment where nothing is scraped is another target's case).
const WORKER: &str = "[services.worker]\nimage = \"w:1\"\nport = 8080\nprobes = { readiness = \"/r\" }\n";

#[test]
fn without_routes_or_monitoring_only_the_stack_runs() {
    let files = tree(&format!("monitoring = false\n{WORKER}"));
    assert_eq!(files.keys().collect::<Vec<_>>(), [".env.example", "compose.yaml"]);
    let services = compose(&format!("monitoring = false\n{WORKER}"))["services"].clone();
    assert_eq!(services.as_object().unwrap().keys().collect::<Vec<_>>(), ["worker"]);
}

#[test]
fn monitoring_brings_prometheus_grafana_and_their_files() {
    let files = tree(WORKER);
    for path in [
        "prometheus/prometheus.yml",
        "prometheus/rules.yaml",
        "grafana/provisioning/datasources/prometheus.yaml",
        "grafana/provisioning/dashboards/platc.yaml",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
    assert!(files[".env.example"].contains("\nPLATC_GRAFANA_ADMIN_PASSWORD=\n"));
}

#[test]
fn a_dependency_named_twice_is_waited_for_once() {
    let body = format!("monitoring = false\n{WORKER}uses = [\"db\", \"db\"]\n[datastores.db]\nengine = \"redis\"\n");
    let waits = &compose(&body)["services"]["worker"]["depends_on"];
    assert_eq!(waits, &serde_json::json!({ "db": { "condition": "service_healthy" } }));
}

#[test]
fn an_external_datastore_is_not_run_and_not_waited_for() {
    let body = format!(
        "monitoring = false\n{WORKER}uses = [\"db\"]\n[datastores.db]\nengine = \"postgres\"\nexternal = \"db.example.com:5432\"\n"
    );
    let file = &tree(&body)["compose.yaml"];
    assert!(file.contains("#   - db (postgres) at db.example.com:5432"), "{file}");
    let services = compose(&body)["services"].clone();
    assert!(services.get("db").is_none() && services["worker"].get("depends_on").is_none());
}

#[test]
fn a_password_variable_shared_with_a_service_is_listed_once() {
    let body = format!(
        "monitoring = false\n{WORKER}secrets = {{ DB_PASSWORD = \"s/password\" }}\n[datastores.db]\nengine = \"postgres\"\nsecret = \"s\"\n"
    );
    assert_eq!(tree(&body)[".env.example"].matches("\nDB_PASSWORD=").count(), 1);
}

#[test]
fn migrations_run_first_and_wait_only_for_datastores() {
    let body = format!(
        "monitoring = false\n{WORKER}migrate = [\"m\"]\nuses = [\"api\", \"db\"]\n[services.api]\nimage = \"a:1\"\n[datastores.db]\nengine = \"redis\"\n"
    );
    let services = compose(&body)["services"].clone();
    let worker = services["worker"]["depends_on"].as_object().unwrap();
    assert_eq!(worker.keys().collect::<Vec<_>>(), ["api", "db", "worker-migrate"]);
    assert_eq!(worker["worker-migrate"]["condition"], "service_completed_successfully");
    assert_eq!(worker["api"]["condition"], "service_started");
    let migrate = services["worker-migrate"]["depends_on"].as_object().unwrap();
    assert_eq!(migrate.keys().collect::<Vec<_>>(), ["db"]);
    assert_eq!(services["worker-migrate"]["restart"], "no");
}

/// Found by the property test: `writable = []` rendered `tmpfs:` with no items (null), which
/// the Compose model rejects. No writable path means no `tmpfs` key at all.
#[test]
fn no_writable_paths_means_no_tmpfs() {
    let service = &compose(&format!("{WORKER}writable = []\n"))["services"]["worker"];
    assert!(service.get("tmpfs").is_none(), "{service}");
    assert_eq!(service["read_only"], true);
    let with_tmp = &compose(WORKER)["services"]["worker"];
    assert_eq!(with_tmp["tmpfs"], serde_json::json!(["/tmp"]));
}
