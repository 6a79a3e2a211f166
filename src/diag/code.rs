//! Stable diagnostic codes (SPEC.md §5). Tests and users rely on them: never renumber.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    E0001,
    E0002,
    E0003,
    E0010,
    E0020,
    E0021,
    E0022,
    E0023,
    E0030,
    E0040,
    E0050,
    E0051,
    E0060,
    E0061,
    E0062,
    E0070,
    E0080,
    E0081,
    E0090,
    E0091,
    E0092,
    E0093,
    E0100,
    W0001,
    W0002,
    W0003,
    W0004,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Code {
    pub const ALL: [Code; 27] = [
        Code::E0001,
        Code::E0002,
        Code::E0003,
        Code::E0010,
        Code::E0020,
        Code::E0021,
        Code::E0022,
        Code::E0023,
        Code::E0030,
        Code::E0040,
        Code::E0050,
        Code::E0051,
        Code::E0060,
        Code::E0061,
        Code::E0062,
        Code::E0070,
        Code::E0080,
        Code::E0081,
        Code::E0090,
        Code::E0091,
        Code::E0092,
        Code::E0093,
        Code::E0100,
        Code::W0001,
        Code::W0002,
        Code::W0003,
        Code::W0004,
    ];

    pub fn severity(self) -> Severity {
        if matches!(self, Code::W0001 | Code::W0002 | Code::W0003 | Code::W0004) {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    pub fn is_error(self) -> bool {
        self.severity() == Severity::Error
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Code::E0001 => "E0001",
            Code::E0002 => "E0002",
            Code::E0003 => "E0003",
            Code::E0010 => "E0010",
            Code::E0020 => "E0020",
            Code::E0021 => "E0021",
            Code::E0022 => "E0022",
            Code::E0023 => "E0023",
            Code::E0030 => "E0030",
            Code::E0040 => "E0040",
            Code::E0050 => "E0050",
            Code::E0051 => "E0051",
            Code::E0060 => "E0060",
            Code::E0061 => "E0061",
            Code::E0062 => "E0062",
            Code::E0070 => "E0070",
            Code::E0080 => "E0080",
            Code::E0081 => "E0081",
            Code::E0090 => "E0090",
            Code::E0091 => "E0091",
            Code::E0092 => "E0092",
            Code::E0093 => "E0093",
            Code::E0100 => "E0100",
            Code::W0001 => "W0001",
            Code::W0002 => "W0002",
            Code::W0003 => "W0003",
            Code::W0004 => "W0004",
        }
    }

    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|code| code.as_str().eq_ignore_ascii_case(text))
    }

    /// One line: when this code is reported.
    pub fn summary(self) -> &'static str {
        match self {
            Code::E0001 => "the file is not valid TOML",
            Code::E0002 => "unknown key",
            Code::E0003 => "missing required key or wrong type",
            Code::E0010 => "invalid name, label, or a derived name that is too long",
            Code::E0020 => "a cpu, memory or storage value is not a valid quantity",
            Code::E0021 => "a limit is below its request",
            Code::E0022 => "a duration, percent or ratio is malformed or out of range",
            Code::E0023 => "a malformed cron schedule or time zone",
            Code::E0030 => "a reference names nothing",
            Code::E0040 => "autoscale is inconsistent",
            Code::E0050 => "a port is out of range, or two ports of one service collide",
            Code::E0051 => "a route is claimed twice, or a path does not start with /",
            Code::E0060 => "a plain env variable looks like a secret",
            Code::E0061 => "malformed secret ref, env var name, egress rule or toleration",
            Code::E0062 => "a `files` entry is not an absolute path, or its source cannot be used",
            Code::E0070 => "an environment's quota cannot hold the platform at full scale",
            Code::E0080 => "an SLO is malformed or can never page",
            Code::E0081 => "a custom alert is not valid PromQL, or a severity names an unknown alert",
            Code::E0090 => "a service has routes but its environment has no ingress host",
            Code::E0091 => "alerting: a route names no receiver, or a receiver is malformed",
            Code::E0092 => "a rollout is malformed, or its analysis has no availability SLO to judge by",
            Code::E0093 => "a datastore's backup, operator, instances or pooler is malformed",
            Code::E0100 => "a Compose environment cannot work as written",
            Code::W0001 => "image without a tag, or tagged latest",
            Code::W0002 => "HTTP service without a readiness probe",
            Code::W0003 => "a paging service that can run a single replica",
            Code::W0004 => "an external datastore is not run by Compose",
        }
    }

    /// Why the rule exists and how to fix it, for `platc explain`.
    #[allow(clippy::too_many_lines)] // one arm per code: a table, not logic
    pub fn explanation(self) -> &'static str {
        match self {
            Code::E0001 => {
                "The spec must be valid TOML 1.0 in UTF-8. Fix the syntax (or the byte that is not \
                 UTF-8) at the position shown; a dotted key of more than 80 parts is too deep to parse."
            }
            Code::E0002 => {
                "Every table accepts a fixed set of keys, so a typo never silently drops a \
                 setting. Use the suggested key, or see `platc schema`."
            }
            Code::E0003 => {
                "A required key is missing, or a value has the wrong type (for example a \
                 number where a string such as \"250m\" is expected), or a value that must name \
                 something is empty: an image (also with spaces around it), or a `command`, \
                 `migrate` or `probes.command` list without a program."
            }
            Code::E0010 => {
                "Names are DNS-1035 labels: lowercase letters, digits and '-', starting with a \
                 letter, at most 63 characters. Label keys and values must be valid Kubernetes \
                 labels, and derived names (namespace, object names) must fit Kubernetes' limits. \
                 A service, job or datastore may not take a name platc gives to something it adds: \
                 a datastore's `<ds>-exporter`, `<ds>-backup`, `<ds>-restore`, an operator \
                 cluster's `<ds>-db` (and `-db-rw`, `-db-r`, `-db-ro`)."
            }
            Code::E0020 => {
                "cpu is a Kubernetes quantity such as \"250m\", \"0.5\" or \"2\"; memory and \
                 storage use binary or decimal suffixes such as \"512Mi\", \"1Gi\" or \"1G\"."
            }
            Code::E0021 => {
                "Kubernetes rejects a container whose limit is below its request. Raise the \
                 limit or lower the request."
            }
            Code::E0022 => {
                "Durations are an integer and a unit (ms, s, m, h, d): \"200ms\", \"5m\". Percents \
                 are in (0, 100], ratios in (0, 1]."
            }
            Code::E0023 => {
                "A `schedule` (a job's, a backup's) is five cron fields as Kubernetes CronJobs \
                 read them: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or \
                 jan-dec) and day of week (0-7 or sun-sat, 0 and 7 are Sunday), each `*`, a value, \
                 a range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; or @hourly, \
                 @daily, @weekly, @monthly, @yearly. A schedule must match at least one date. \
                 `timezone` is an IANA name such as \"Europe/Berlin\"."
            }
            Code::E0030 => {
                "A tier, a `uses` entry or an environment override names something the spec \
                 does not define. Check the spelling against the suggestion."
            }
            Code::E0040 => {
                "autoscale needs 1 <= min <= max, replicas within [min, max], and a resource \
                 request for every utilisation target (cpu needs a cpu request, memory a \
                 memory request)."
            }
            Code::E0050 => {
                "Ports are 1-65535, and the HTTP port and metrics port of one service must \
                 differ unless they are the same endpoint."
            }
            Code::E0051 => {
                "Each route prefix is served by exactly one service, and every route and probe \
                 path starts with '/'."
            }
            Code::E0060 => {
                "Values in `env` are written into manifests in plain text. Put secrets in a \
                 Secret and reference them under `secrets` as \"<secret>/<key>\"."
            }
            Code::E0061 => {
                "Secret refs are \"<secret>/<key>\", env var names are C identifiers, egress rules \
                 are \"<CIDR>:<port>\", tolerations are \"<key>=<value>:<Effect>\", and a variable \
                 may be set in `env` or `secrets`, not both."
            }
            Code::E0062 => {
                "`files` maps an absolute path in the container to a file relative to the spec: \
                 the source must be a readable UTF-8 text file of at most 1 MiB (a ConfigMap's \
                 limit), not a directory, and no two entries may use one container path."
            }
            Code::E0070 => {
                "At full scale every service runs its maximum replicas plus one surge pod during \
                 a rolling update (twice its maximum during a blue-green rollout or a canary split \
                 at the ingress, which run both versions at full size), and every in-cluster \
                 datastore runs. The namespace quota must hold all of that, or deployments stall. \
                 Raise the quota or lower the maximums."
            }
            Code::E0080 => {
                "SLO objectives are in (0, 100), windows are whole days from 1d to 90d, and the \
                 fastest page alert fires at a 14.4x burn rate: an objective whose error budget \
                 times 14.4 reaches 100% can never page."
            }
            Code::E0081 => {
                "A custom alert's `expr` is parsed as PromQL (`${namespace}` stands for the \
                 environment's namespace); the error points where the parser failed. `severity` \
                 overrides name a standard or custom alert and say critical or warning; custom alert \
                 names are letters, digits and _; runbook_base and dashboard_base are http(s) URLs. \
                 `[platform.metrics]` enters every generated expression: `requests` and `latency` \
                 are Prometheus metric names, `error_status` a regex PromQL accepts."
            }
            Code::E0090 => {
                "Routes are served through the environment's ingress host. Set [ingress] host, \
                 or [environments.<env>.ingress] host."
            }
            Code::E0091 => {
                "[alerting] routes map a severity (critical, warning) to a receiver defined under \
                 [alerting.receivers.<name>]; routes may not be empty. A receiver has exactly one \
                 channel: pagerduty, slack (+ channel), webhook (secret refs) or email (+ smtp = \
                 { host = \"host:port\", from, password }). Mute windows have a name, times \
                 \"HH:MM-HH:MM\" within one day, lowercase weekday names and an IANA time zone \
                 (UTC only in operator mode: AlertmanagerConfig has no time zone)."
            }
            Code::E0092 => {
                "A canary's `steps` are traffic percents, strictly increasing within (0, 100); \
                 `pause` is a duration such as \"5m\"; `auto_promote` belongs to blue-green and \
                 `steps`/`pause` to canary; blue-green needs a `port` (it switches Services). \
                 `analysis = true` judges the new version by the service's availability SLO, so \
                 the service needs one and its metrics must be scraped. `prometheus_url` is an \
                 http(s) URL."
            }
            Code::E0093 => {
                "A backup goes to to = \"volume\" (a claim of `size`) or to \
                 to = \"s3://bucket/prefix\" with `credentials`, a Secret holding ACCESS_KEY_ID and \
                 ACCESS_SECRET_KEY (and an optional http(s) `endpoint`), and keeps at least one \
                 backup. `operator = \"cloudnative-pg\"` is for in-cluster postgres only; \
                 `instances` and `pooler` need it, and a pooler's mode is session or transaction. \
                 External datastores take none of these: platc does not run them."
            }
            Code::E0100 => {
                "Docker Compose runs the environment on one host, with every service, datastore and \
                 the containers platc adds (ingress, prometheus, grafana, <svc>-migrate) in one \
                 namespace of names, and every secret read from a host variable of the same name. \
                 So names must not collide, one variable must mean one secret (and not start with \
                 PLATC_), routes must use only /, letters, digits and - . _ ~ (they are written into \
                 the nginx config), and no value may hold a NUL character. Compose must also have \
                 something to run (a service, an in-stack datastore, or monitoring), every service \
                 at least one replica, and every container a positive CPU request and limit."
            }
            Code::W0001 => "Pin images to a version tag so every deploy is reproducible.",
            Code::W0002 => {
                "Without a readiness probe, traffic reaches pods before they are ready. Add \
                 probes.readiness."
            }
            Code::W0003 => {
                "A service whose alerts page should never run a single replica: one node drain \
                 takes it down. Set replicas or autoscale.min to 2 or more."
            }
            Code::W0004 => {
                "Compose does not run external datastores; services reach them at their \
                 external address, which must be reachable from the Compose host."
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
