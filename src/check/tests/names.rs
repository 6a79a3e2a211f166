//! E0010 and E0100 for names platc itself gives to objects, and W0001 on job images.

use super::{all_findings, findings};
use crate::diag::Code;

const DB: &str = "[datastores.db]\nengine = \"postgres\"\nversion = \"16\"\n";
const BACKUP: &str = "backup = { schedule = \"0 2 * * *\", to = \"volume\" }\n";

fn service(name: &str) -> String {
    format!("[services.{name}]\nimage = \"x/{name}:1\"\n")
}

#[test]
fn a_service_named_like_a_datastore_backup_or_exporter_is_e0010() {
    // line 1: the service; the datastore follows it.
    let backup = format!("{}{DB}{BACKUP}", service("db-backup"));
    assert_eq!(findings(&backup), vec![(Code::E0010, 1)]);
    let restore = format!("{}{DB}{BACKUP}", service("db-restore"));
    assert_eq!(findings(&restore), vec![(Code::E0010, 1)]);
    // The exporter runs where the environment is monitored (the default).
    let exporter = format!("{}{DB}", service("db-exporter"));
    assert_eq!(findings(&exporter), vec![(Code::E0010, 1)]);
    let no_exporter = format!("{}{DB}exporter = false\n", service("db-exporter"));
    assert_eq!(findings(&no_exporter), vec![]);
    // Without a backup there is no db-backup.
    assert_eq!(findings(&format!("{}{DB}", service("db-backup"))), vec![]);
}

#[test]
fn a_job_or_datastore_named_like_an_operator_cluster_is_e0010() {
    let operated = format!("{DB}operator = \"cloudnative-pg\"\n");
    let job = format!("[jobs.db-db-rw]\nschedule = \"0 1 * * *\"\nimage = \"x/j:1\"\n{operated}");
    assert_eq!(findings(&job), vec![(Code::E0010, 1)]);
    let datastore = format!("{operated}[datastores.db-db]\nengine = \"redis\"\nversion = \"7\"\n");
    assert_eq!(findings(&datastore), vec![(Code::E0010, 5)]);
}

#[test]
fn a_job_named_like_a_compose_container_is_e0100() {
    let body = "targets = [\"kubernetes\", \"compose\"]\n\
                [jobs.prometheus]\nschedule = \"0 1 * * *\"\nimage = \"x/j:1\"\n";
    assert_eq!(findings(body), vec![(Code::E0100, 2)]);
}

#[test]
fn job_images_without_a_version_are_w0001() {
    let body = "[jobs.report]\nschedule = \"0 1 * * *\"\nimage = \"x/report:latest\"\n\
                [jobs.sweep]\nschedule = \"0 2 * * *\"\nimage = \"x/sweep:1.2\"\n";
    assert_eq!(all_findings(body), vec![(Code::W0001, 3)]);
}
