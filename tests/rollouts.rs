//! Progressive delivery end to end: what a `rollout` changes in the output, and what it must
//! leave alone. Each test compiles a small spec and reads the rendered objects back.

use serde_json::Value;

const HEAD: &str = "[platform]\nname = \"shop\"\n[environments.production]\n[ingress]\nhost = \"shop.example.com\"\n";
const WEB: &str = "[services.web]\nimage = \"web:1.0\"\nport = 8080\nprobes = { readiness = \"/ready\" }\nresources = { cpu = \"100m\", memory = \"128Mi\" }\nenv = { MODE = \"fast\" }\nsecrets = { TOKEN = \"web-secrets/token\" }\nautoscale = { min = 2, max = 4, cpu = 70 }\nslo = { availability = 99.9 }\nroutes = [\"/\"]\n";
const CALLER: &str = "[services.caller]\nimage = \"caller:1.0\"\nport = 9000\nprobes = { readiness = \"/ready\" }\nreplicas = 2\nuses = [\"web\"]\n";

/// Every Kubernetes object of the production environment, by (kind, name).
fn objects(body: &str) -> Vec<Value> {
    let text = format!("{HEAD}{body}");
    let compilation = match platc::compile(&text) {
        Ok(compilation) => compilation,
        Err(failure) => panic!("does not compile: {failure:?}"),
    };
    let files = platc::render(&compilation.platform).unwrap_or_else(|f| panic!("{f:?}"));
    files
        .iter()
        .filter(|f| f.path.starts_with("kubernetes/production/") && !f.path.ends_with("kustomization.yaml"))
        .flat_map(|f| platc::verify::yaml_documents(&f.contents).unwrap())
        .collect()
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn has(objects: &[Value], kind: &str, name: &str) -> bool {
    objects
        .iter()
        .any(|o| o["kind"] == kind && o["metadata"]["name"] == name)
}

fn with_rollout(rollout: &str) -> String {
    format!("{WEB}rollout = {rollout}\n{CALLER}")
}

#[test]
fn the_rollout_replaces_the_deployment_with_the_same_pod_template() {
    let plain = objects(&format!("{WEB}{CALLER}"));
    for rollout in [
        "{ strategy = \"canary\", steps = [10, 50], pause = \"5m\", analysis = true }",
        "{ strategy = \"blue-green\", auto_promote = false, analysis = true }",
    ] {
        let delivered = objects(&with_rollout(rollout));
        assert!(!has(&delivered, "Deployment", "web"), "{rollout}: no Deployment");
        let deployment = find(&plain, "Deployment", "web");
        let rollout_object = find(&delivered, "Rollout", "web");
        assert_eq!(
            rollout_object["spec"]["template"], deployment["spec"]["template"],
            "{rollout}: hardening, probes, env, secrets and files are the Deployment's"
        );
        assert_eq!(rollout_object["spec"]["selector"], deployment["spec"]["selector"]);
        assert_eq!(rollout_object["spec"]["replicas"], deployment["spec"]["replicas"]);
        assert!(
            has(&delivered, "Deployment", "caller"),
            "other services keep their Deployment"
        );
    }
}

#[test]
fn autoscaler_and_disruption_budget_follow_the_rollout() {
    let delivered = objects(&with_rollout("{ strategy = \"blue-green\" }"));
    let target = &find(&delivered, "HorizontalPodAutoscaler", "web")["spec"]["scaleTargetRef"];
    assert_eq!(target["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(target["kind"], "Rollout");
    assert_eq!(target["name"], "web");
    let pod_labels = &find(&delivered, "Rollout", "web")["spec"]["template"]["metadata"]["labels"];
    let budget = &find(&delivered, "PodDisruptionBudget", "web")["spec"]["selector"]["matchLabels"];
    assert_selects(budget, pod_labels, "the disruption budget");
}

/// Every label of `selector` is on the pods, and none names one version (Argo Rollouts adds
/// `rollouts-pod-template-hash` to the pods of each version, not to this selector).
fn assert_selects(selector: &Value, pod_labels: &Value, what: &str) {
    let selector = selector.as_object().unwrap_or_else(|| panic!("{what}: no selector"));
    assert!(!selector.is_empty(), "{what}: an empty selector");
    for (key, value) in selector {
        assert_eq!(&pod_labels[key], value, "{what}: pods lack {key}");
        assert!(!key.contains("pod-template-hash"), "{what} selects one version");
    }
}

#[test]
fn network_policies_admit_both_versions() {
    let delivered = objects(&with_rollout("{ strategy = \"blue-green\" }"));
    let pod_labels = &find(&delivered, "Rollout", "web")["spec"]["template"]["metadata"]["labels"];
    let own = &find(&delivered, "NetworkPolicy", "web")["spec"];
    assert_selects(&own["podSelector"]["matchLabels"], pod_labels, "web's policy");
    let callers = &own["ingress"][0]["from"][0]["podSelector"]["matchLabels"];
    assert_eq!(callers["app.kubernetes.io/name"], "caller", "caller may reach web");
    let egress = &find(&delivered, "NetworkPolicy", "caller")["spec"]["egress"];
    let to_web = egress
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "web")
        .expect("caller may call web");
    assert_selects(
        &to_web["to"][0]["podSelector"]["matchLabels"],
        pod_labels,
        "caller's egress",
    );
}

#[test]
fn blue_green_adds_a_preview_service_on_the_same_pods() {
    let delivered = objects(&with_rollout("{ strategy = \"blue-green\", auto_promote = false }"));
    let strategy = &find(&delivered, "Rollout", "web")["spec"]["strategy"]["blueGreen"];
    assert_eq!(strategy["activeService"], "web");
    assert_eq!(strategy["previewService"], "web-preview");
    assert_eq!(strategy["autoPromotionEnabled"], false);
    let active = find(&delivered, "Service", "web");
    let preview = find(&delivered, "Service", "web-preview");
    assert_eq!(preview["spec"]["selector"], active["spec"]["selector"]);
    assert_eq!(preview["spec"]["ports"], active["spec"]["ports"]);
    assert_ne!(
        preview["metadata"]["labels"]["app.kubernetes.io/name"], "web",
        "a ServiceMonitor of web must not select the preview too"
    );
}

#[test]
fn a_routed_canary_splits_requests_at_the_nginx_ingress() {
    let delivered = objects(&with_rollout("{ strategy = \"canary\", steps = [10, 50] }"));
    let canary = &find(&delivered, "Rollout", "web")["spec"]["strategy"]["canary"];
    assert_eq!(canary["canaryService"], "web-canary");
    assert_eq!(canary["stableService"], "web");
    let ingress = canary["trafficRouting"]["nginx"]["stableIngress"].as_str().unwrap();
    let backend = &find(&delivered, "Ingress", ingress)["spec"]["rules"][0]["http"]["paths"][0]["backend"];
    assert_eq!(
        backend["service"]["name"], "web",
        "the Ingress routes to the stable Service"
    );
    assert_eq!(
        find(&delivered, "Service", "web-canary")["spec"]["selector"],
        find(&delivered, "Service", "web")["spec"]["selector"]
    );
    let steps: Vec<&Value> = canary["steps"].as_array().unwrap().iter().collect();
    assert_eq!(steps[0]["setWeight"], 10);
    assert_eq!(
        steps[1]["pause"],
        serde_json::json!({}),
        "no pause: wait for a promotion"
    );
    assert_eq!(steps[2]["setWeight"], 50);
}

#[test]
fn an_unrouted_canary_splits_by_pods() {
    let unrouted = WEB.replace("routes = [\"/\"]\n", "");
    let delivered = objects(&format!(
        "{unrouted}rollout = {{ strategy = \"canary\", pause = \"90s\" }}\n"
    ));
    let canary = &find(&delivered, "Rollout", "web")["spec"]["strategy"]["canary"];
    assert!(canary.get("trafficRouting").is_none() && canary.get("canaryService").is_none());
    assert_eq!(canary["maxSurge"], 1);
    assert_eq!(canary["maxUnavailable"], 0);
    let weights: Vec<&Value> = canary["steps"].as_array().unwrap().iter().step_by(2).collect();
    assert_eq!(
        weights,
        [25, 50, 75]
            .map(|w| serde_json::json!({ "setWeight": w }))
            .iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(canary["steps"][1]["pause"]["duration"], "1m30s");
    assert!(!has(&delivered, "Service", "web-canary"));
}

#[test]
fn analysis_is_background_for_canaries_and_pre_promotion_for_blue_green() {
    let canary = objects(&with_rollout("{ strategy = \"canary\", analysis = true }"));
    let background = &find(&canary, "Rollout", "web")["spec"]["strategy"]["canary"]["analysis"];
    let blue_green = objects(&with_rollout("{ strategy = \"blue-green\", analysis = true }"));
    let pre = &find(&blue_green, "Rollout", "web")["spec"]["strategy"]["blueGreen"]["prePromotionAnalysis"];
    for (reference, objects) in [(background, &canary), (pre, &blue_green)] {
        assert_eq!(reference["templates"][0]["templateName"], "web");
        assert_eq!(reference["args"][0]["valueFrom"]["podTemplateHashValue"], "Latest");
        let template = find(objects, "AnalysisTemplate", "web");
        assert_eq!(template["spec"]["args"][0]["name"], reference["args"][0]["name"]);
    }
    let none = objects(&with_rollout("{ strategy = \"canary\" }"));
    assert!(!has(&none, "AnalysisTemplate", "web"));
}

#[test]
fn alerts_and_dashboards_count_both_versions() {
    let text = format!("{HEAD}{}", with_rollout("{ strategy = \"canary\", analysis = true }"));
    let Ok(compilation) = platc::compile(&text) else {
        panic!("does not compile")
    };
    let files = platc::render(&compilation.platform).unwrap_or_else(|f| panic!("{f:?}"));
    let observability: Vec<&platc::render::OutputFile> = files
        .iter()
        .filter(|f| f.path.starts_with("prometheus/production/rules") || f.path.starts_with("grafana/production/"))
        .collect();
    assert!(observability.len() >= 2, "the rules and the dashboards");
    let rules = observability
        .iter()
        .find(|f| f.path.ends_with("rules.yaml"))
        .expect("rules");
    assert!(rules.contents.contains("service: web\n"), "the rules know web");
    // Both versions carry the service's labels; a selector or grouping by the version's
    // hash (or a Deployment) would split or lose one of them.
    for file in observability {
        for version_specific in ["rollouts_pod_template_hash", "pod_template_hash", "deployment"] {
            assert!(
                !file.contents.contains(version_specific),
                "{} selects by {version_specific}",
                file.path
            );
        }
    }
}
