//! A real `PostgreSQL` backup and restore with exactly what the generated objects run: the
//! command line and environment of the backup `CronJob`'s container and of the restore
//! `Job`'s container, read from platc's output. Only what differs between a cluster and this
//! machine is replaced: the server's address (`PGHOST`, `PGPORT`), the folder the claim is
//! mounted on (`BACKUP_DIR`) and the file the password Secret is mounted as
//! (`BACKUP_PASSWORD_FILE`).
//!
//! A server is started on a free local port in a temporary folder (Debian's `postgresql`
//! packages: `initdb`, `pg_ctl`), data written, backed up three times (two kept), the
//! database dropped, restored, and the data read back. Without `PostgreSQL` the test says so
//! and passes, unless `PLATC_REQUIRE_POSTGRES` is set (CI installs it and sets it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = r#"
[platform]
name = "shop"
[environments.production]
[services.api]
image = "shop/api:1.0.0"
port = 8080
probes = { readiness = "/ready" }
uses = ["db"]
[datastores.db]
engine = "postgres"
version = "15"
secret = "db-secret"
user = "shop"
database = "orders"
backup = { schedule = "0 2 * * *", keep = 2, to = "volume", size = "1Gi" }
"#;

const PASSWORD: &str = "s3cret 'with' \"quotes\"";

/// (program and arguments, environment) of the one container of a rendered pod spec.
struct Run {
    command: Vec<String>,
    env: Vec<(String, String)>,
}

fn rendered(path: &str, pod_spec: &[&str]) -> Run {
    let compilation = platc::compile(SPEC).unwrap_or_else(|f| panic!("{f:?}"));
    let files = platc::render(&compilation.platform).unwrap_or_else(|f| panic!("{f:?}"));
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is not rendered"));
    let documents: Vec<serde_json::Value> = file
        .contents
        .split("\n---\n")
        .map(|doc| serde_norway::from_str(doc).unwrap())
        .collect();
    let kind = if path.contains("restore") { "Job" } else { "CronJob" };
    let object = documents.iter().find(|d| d["kind"] == kind).expect("the object");
    let mut spec = object;
    for key in pod_spec {
        spec = &spec[*key];
    }
    let containers = spec["containers"].as_array().expect("containers");
    assert_eq!(containers.len(), 1, "one container in {path}");
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .map(|items| items.iter().map(|i| i.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let container = &containers[0];
    let mut command = strings(&container["command"]);
    command.extend(strings(&container["args"]));
    let env = container["env"]
        .as_array()
        .expect("env")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Run { command, env }
}

fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|bin| {
            ["initdb", "pg_ctl", "pg_dump", "pg_restore", "psql"]
                .iter()
                .all(|p| bin.join(p).exists())
        })
        .collect();
    found.sort();
    found.pop()
}

fn check(output: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{what} failed: {}\nstdout: {stdout}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// The server is run as `postgres` when the test runs as root (initdb refuses root).
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

struct Server {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = as_server_user(&self.bin.join("pg_ctl"))
            .args(["-D"])
            .arg(&self.data)
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

impl Server {
    fn start(bin: &Path, dir: &Path) -> Server {
        let data = dir.join("data");
        let password_file = dir.join("initdb-password");
        std::fs::write(&password_file, PASSWORD).unwrap();
        if is_root() {
            check(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(dir)
                    .output()
                    .unwrap(),
                "chown",
            );
        }
        let initdb = as_server_user(&bin.join("initdb"))
            .args(["-D"])
            .arg(&data)
            .args(["-U", "shop", "--auth=scram-sha-256"])
            .arg(format!("--pwfile={}", password_file.display()))
            .output()
            .unwrap();
        check(initdb, "initdb");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", dir.display());
        let server = Server {
            bin: bin.to_path_buf(),
            data,
            port,
        };
        let started = as_server_user(&bin.join("pg_ctl"))
            .args(["-D"])
            .arg(&server.data)
            .args(["-o", &options, "-l"])
            .arg(dir.join("server.log"))
            .args(["-w", "start"])
            .output()
            .unwrap();
        check(started, "pg_ctl start");
        server
    }

    fn sql(&self, database: &str, statement: &str) -> String {
        let output = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "shop",
                "-d",
                database,
            ])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", statement])
            .env("PGPASSWORD", PASSWORD)
            .output()
            .unwrap();
        check(output, statement)
    }

    /// `run` as the generated object runs it, with this machine's address and folders.
    fn run(&self, run: &Run, backup_dir: &Path, password_file: &Path, what: &str) -> String {
        let mut command = Command::new(&run.command[0]);
        command.args(&run.command[1..]).env_clear();
        let path = format!("{}:/usr/bin:/bin", self.bin.display());
        command.env("PATH", path);
        for (name, value) in &run.env {
            command.env(name, value);
        }
        command
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("BACKUP_DIR", backup_dir)
            .env("BACKUP_PASSWORD_FILE", password_file);
        check(command.output().unwrap(), what)
    }
}

fn dumps(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_restores_what_was_written() {
    let Some(bin) = postgres_bin() else {
        assert!(
            std::env::var_os("PLATC_REQUIRE_POSTGRES").is_none(),
            "PLATC_REQUIRE_POSTGRES is set but PostgreSQL is not installed"
        );
        eprintln!(
            "SKIPPED a_backup_restores_what_was_written: PostgreSQL is not installed (apt-get install -y postgresql)"
        );
        return;
    };
    let backup = rendered(
        "kubernetes/production/datastores/db-backup.yaml",
        &["spec", "jobTemplate", "spec", "template", "spec"],
    );
    let restore = rendered("kubernetes/production/restore/db.yaml", &["spec", "template", "spec"]);
    assert!(
        backup.env.iter().any(|(k, v)| k == "BACKUP_KEEP" && v == "2"),
        "{:?}",
        backup.env
    );
    assert!(backup.env.iter().any(|(k, v)| k == "PGDATABASE" && v == "orders"));

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&bin, dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, PASSWORD).unwrap();

    server.sql("postgres", "CREATE DATABASE orders");
    server.sql("orders", "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
    server.sql(
        "orders",
        "INSERT INTO items VALUES (1, 'kettle'), (2, 'tea ''earl grey''')",
    );
    for round in 0..3 {
        if round > 0 {
            // Backups are named to the second.
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let log = server.run(&backup, &backups, &password_file, "the backup CronJob's command");
        assert!(log.contains("backup written: db-"), "{log}");
    }
    let kept = dumps(&backups);
    assert_eq!(kept.len(), 2, "keep = 2: {kept:?}");
    assert!(
        kept.iter()
            .all(|name| name.starts_with("db-") && name.ends_with(".dump")),
        "{kept:?}"
    );

    server.sql("postgres", "DROP DATABASE orders");
    let log = server.run(&restore, &backups, &password_file, "the restore Job's command");
    assert!(
        log.contains(&format!("restoring {}", kept[1])),
        "the newest backup: {log}"
    );
    let rows = server.sql("orders", "SELECT id, name FROM items ORDER BY id");
    assert_eq!(rows, "1|kettle\n2|tea 'earl grey'\n");
}
