//! Jobs under Compose: on-demand services (`docker compose run --rm <job>`), in the `jobs`
//! profile so `up` never starts them; the same image, command, environment, secrets, files
//! and hardening as on Kubernetes, waiting for the in-stack workloads they use.

use super::escape::Text;
use super::order::{HEALTHY, condition};
use super::services::{config_mounts, secret_mounts, secret_variables};
use super::view::Container;
use crate::model::{Dependency, Environment, Job};

pub const PROFILE: &str = "jobs";

pub fn container(env: &Environment, job: &Job) -> Container {
    let user = format!("{0}:{0}", job.run_as_user);
    let mut c = Container::new(&job.name, &job.image, user, &job.resources);
    c.restart = "no";
    c.profiles = vec![PROFILE];
    c.entrypoint.clone_from(&job.command);
    c.command = job.args.iter().flatten().map(|a| Text::from(a.as_str())).collect();
    let plain = job.env.iter().map(|(k, v)| (k.clone(), Text::from(v.as_str())));
    c.environment = plain.chain(secret_variables(&job.secrets, job.secret_files)).collect();
    c.secrets = secret_mounts(&job.secrets, job.secret_files);
    c.volumes = config_mounts(&job.name, &job.files);
    for callee in &job.uses {
        let wait = match env.dependency(callee) {
            Some(Dependency::Datastore(d)) if d.external.is_none() => Some((d.name.clone(), HEALTHY)),
            Some(Dependency::Service(s)) => Some((s.name.clone(), condition(s))),
            _ => None,
        };
        if let Some(wait) = wait.filter(|w| !c.depends_on.contains(w)) {
            c.depends_on.push(wait);
        }
    }
    c
}
