use super::*;
use crate::spec;

const SPEC: &str = r#"
[platform]
name = "shop"

[environments.prod]
container_defaults = { cpu = "50m", memory = "64Mi" }

[environments.prod.tiers.core]
replicas = 4
paging = false

[environments.prod.services.web]
autoscale = { max = 9 }
env = { MODE = "prod" }

[environments.dev]

[tiers.core]
replicas = 2
autoscale = { min = 2, max = 5, cpu = 70 }
paging = true

[services.web]
tier = "core"
image = "web:1"
resources = { cpu = "100m" }
env = { MODE = "dev", LOG = "info" }
"#;

fn env<'a>(envs: &'a [EnvView], name: &str) -> &'a ServiceView {
    &envs.iter().find(|e| e.name == name).unwrap().services[0]
}

#[test]
fn layers_merge_in_spec_order() {
    let mut document = spec::parse(SPEC).ok().unwrap();
    let (envs, problems) = resolve(&mut document);
    assert!(problems.is_empty());

    let prod = env(&envs, "prod");
    assert_eq!(
        prod.raw.replicas.as_ref().unwrap().value,
        4,
        "env tier override beats the tier"
    );
    let autoscale = &prod.raw.autoscale.as_ref().unwrap().value;
    assert_eq!(
        autoscale.max.as_ref().unwrap().value,
        9,
        "env service override beats the tier"
    );
    assert_eq!(autoscale.min.as_ref().unwrap().value, 2, "tables merge key by key");
    let resources = prod.raw.resources.as_ref().unwrap();
    assert_eq!(
        resources.cpu.as_ref().unwrap().value,
        "100m",
        "the service beats container defaults"
    );
    assert_eq!(
        resources.memory.as_ref().unwrap().value,
        "64Mi",
        "container defaults fill the gaps"
    );
    let env_vars = prod.raw.env.as_ref().unwrap();
    assert_eq!(env_vars["MODE"].value, "prod");
    assert_eq!(env_vars["LOG"].value, "info");
    assert_eq!(prod.tier_paging.as_ref().map(|p| p.value), Some(false));

    let dev = env(&envs, "dev");
    assert_eq!(dev.raw.replicas.as_ref().unwrap().value, 2);
    assert_eq!(dev.tier_paging.as_ref().map(|p| p.value), Some(true));
}

#[test]
fn effective_values_keep_the_span_of_their_layer() {
    let mut document = spec::parse(SPEC).ok().unwrap();
    let (envs, _) = resolve(&mut document);
    let replicas = env(&envs, "prod").raw.replicas.clone().unwrap();
    let line = SPEC[..replicas.span.start].matches('\n').count() + 1;
    assert_eq!(line, 9, "points at the environment's tier override");
}

#[test]
fn a_service_no_environment_layers_is_one_view_shared_by_them() {
    let text = "[platform]\nname = \"shop\"\n[environments.a]\n[environments.b]\n[environments.c]\n\
                [environments.c.services.api]\nreplicas = 3\n\
                [services.api]\nimage = \"api:1\"\n[services.web]\nimage = \"web:1\"\n";
    let mut document = spec::parse(text).ok().unwrap();
    let (envs, problems) = resolve(&mut document);
    assert!(problems.is_empty(), "{problems:?}");
    let view = |env: usize, service: usize| &envs[env].services[service];
    assert_eq!((view(0, 0).name.as_str(), view(0, 1).name.as_str()), ("api", "web"));
    // `web`: no environment layers it, one view for all three.
    assert!(Arc::ptr_eq(view(0, 1), view(1, 1)) && Arc::ptr_eq(view(1, 1), view(2, 1)));
    // `api`: shared by a and b; c overrides it and has its own.
    assert!(Arc::ptr_eq(view(0, 0), view(1, 0)));
    assert!(!Arc::ptr_eq(view(0, 0), view(2, 0)));
    assert_eq!(view(2, 0).raw.replicas.as_ref().map(|r| r.value), Some(3));
    assert!(view(0, 0).raw.replicas.is_none());
    // The tables were moved into the views: the document keeps their keys, for their spans.
    assert!(document.key_span(&["services", "web"]).is_some());
    assert!(
        document
            .table(&["services", "web"])
            .is_some_and(toml::de::DeTable::is_empty)
    );
}
