//! Parsers for the value types of SPEC.md §2. Each returns a plain error message; the
//! caller attaches the code and the span. Shared by the checks and by the model builder.

/// A Kubernetes quantity: the text as written and its value in base units
/// (cores for cpu, bytes for memory and storage).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// As written; what the output carries.
    pub text: String,
    pub value: f64,
}

const SUFFIXES: [(&str, f64); 14] = [
    ("Ki", 1024.0),
    ("Mi", 1_048_576.0),
    ("Gi", 1_073_741_824.0),
    ("Ti", 1_099_511_627_776.0),
    ("Pi", 1_125_899_906_842_624.0),
    ("Ei", 1_152_921_504_606_846_976.0),
    ("m", 1e-3),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
    ("", 1.0),
];

pub fn quantity(text: &str) -> Result<Quantity, String> {
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits_end);
    let valid_number =
        !number.is_empty() && number.matches('.').count() <= 1 && number != "." && !number.starts_with('.');
    let factor = SUFFIXES.iter().find(|(name, _)| *name == suffix).map(|(_, f)| *f);
    match (valid_number, factor, number.parse::<f64>()) {
        (true, Some(factor), Ok(value)) => Ok(Quantity {
            text: text.to_string(),
            value: value * factor,
        }),
        _ => Err(format!(
            "`{text}` is not a Kubernetes quantity: expected a number with an optional suffix (m, Ki, Mi, Gi, Ti, k, M, G, T)"
        )),
    }
}

/// The quantity a person most likely meant by an invalid one: `512mb` → `512Mi`,
/// `1 GB` → `1Gi`, `2gib` → `2Gi` (binary suffixes: memory is what people size in MB),
/// `250 m` → `250m`.
pub fn quantity_hint(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits_end = compact
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(compact.len());
    let (number, suffix) = compact.split_at(digits_end);
    let binary = match suffix.to_ascii_lowercase().as_str() {
        "" => "",
        "m" => "m",
        "k" | "kb" | "ki" | "kib" => "Ki",
        "mb" | "mi" | "mib" => "Mi",
        "g" | "gb" | "gi" | "gib" => "Gi",
        "t" | "tb" | "ti" | "tib" => "Ti",
        _ => return None,
    };
    let meant = format!("{number}{binary}");
    (meant != text && quantity(&meant).is_ok()).then_some(meant)
}

/// A duration in milliseconds, with its text normalised to the form it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration {
    pub millis: u64,
}

impl Duration {
    pub fn from_secs(seconds: u64) -> Self {
        Self { millis: seconds * 1000 }
    }

    pub fn seconds(self) -> f64 {
        self.millis as f64 / 1000.0
    }

    pub fn whole_seconds(self) -> u64 {
        self.millis / 1000
    }

    /// The largest exact unit: `300000` ms → `5m`. Valid as a `PromQL` and Compose duration.
    pub fn text(self) -> String {
        const UNITS: [(&str, u64); 4] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)];
        for (unit, size) in UNITS {
            if self.millis >= size && self.millis.is_multiple_of(size) {
                return format!("{}{unit}", self.millis / size);
            }
        }
        format!("{}ms", self.millis)
    }
}

pub fn duration(text: &str) -> Result<Duration, String> {
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let factor = match unit {
        "ms" => Some(1),
        "s" => Some(1000),
        "m" => Some(60_000),
        "h" => Some(3_600_000),
        "d" => Some(86_400_000),
        _ => None,
    };
    match (number.parse::<u64>(), factor) {
        (Ok(count), Some(factor)) if count > 0 => Ok(Duration { millis: count * factor }),
        (Ok(0), Some(_)) => Err(format!("`{text}` is zero: a duration must be positive")),
        _ => Err(format!(
            "`{text}` is not a duration: expected an integer and a unit (ms, s, m, h, d), such as \"5m\""
        )),
    }
}

/// A duration that may be zero (`"0s"`), such as an autoscaler's stabilization window.
pub fn duration_or_zero(text: &str) -> Result<Duration, String> {
    let zero = text
        .strip_prefix('0')
        .is_some_and(|unit| ["ms", "s", "m", "h", "d"].contains(&unit));
    if zero {
        Ok(Duration { millis: 0 })
    } else {
        duration(text)
    }
}

pub fn percent(value: f64) -> Result<f64, String> {
    if value > 0.0 && value <= 100.0 {
        Ok(value)
    } else {
        Err(format!("{value} is not a percent in (0, 100]"))
    }
}

pub fn ratio(value: f64) -> Result<f64, String> {
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(format!("{value} is not a ratio in (0, 1]"))
    }
}

/// A DNS-1035 label: `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn name(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let valid = !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[bytes.len() - 1] != b'-';
    if valid {
        Ok(())
    } else if bytes.len() > 63 {
        Err(format!(
            "`{text}` is {} characters long; a name has at most 63",
            bytes.len()
        ))
    } else {
        Err(format!(
            "`{text}` is not a valid name: use lowercase letters, digits and '-', starting with a letter and not ending with '-'"
        ))
    }
}

/// A DNS-1123 subdomain (Secret names, label-key prefixes, hosts).
pub fn subdomain(text: &str) -> bool {
    text.len() <= 253
        && !text.is_empty()
        && text.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

fn label_segment(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() <= 63
        && !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

pub fn label_key(text: &str) -> Result<(), String> {
    let valid = match text.split_once('/') {
        Some((prefix, name)) => subdomain(prefix) && label_segment(name),
        None => label_segment(text),
    };
    if valid {
        Ok(())
    } else {
        Err(format!("`{text}` is not a valid Kubernetes label key"))
    }
}

pub fn label_value(text: &str) -> Result<(), String> {
    if text.is_empty() || label_segment(text) {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is not a valid Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit"
        ))
    }
}

pub fn env_name(text: &str) -> Result<(), String> {
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!("`{text}` is not a valid environment variable name"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SecretRef {
    pub name: String,
    pub key: String,
}

pub fn secret_ref(text: &str) -> Result<SecretRef, String> {
    let error = || format!("`{text}` is not a secret ref: expected \"<secret-name>/<key>\"");
    let (name, key) = text.split_once('/').ok_or_else(error)?;
    let key_ok = !key.is_empty()
        && key.len() <= 253
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if subdomain(name) && key_ok {
        Ok(SecretRef {
            name: name.into(),
            key: key.into(),
        })
    } else {
        Err(error())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EgressRule {
    pub cidr: String,
    pub port: u16,
}

pub fn egress_rule(text: &str) -> Result<EgressRule, String> {
    let error = || format!("`{text}` is not an egress rule: expected \"<CIDR>:<port>\", such as \"0.0.0.0/0:443\"");
    let (cidr, port) = text.rsplit_once(':').ok_or_else(error)?;
    let (address, prefix) = cidr.split_once('/').ok_or_else(error)?;
    let address: std::net::IpAddr = address.parse().map_err(|_| error())?;
    let prefix: u8 = prefix.parse().map_err(|_| error())?;
    let max_prefix = if address.is_ipv4() { 32 } else { 128 };
    let port: u16 = port.parse().map_err(|_| error())?;
    if prefix > max_prefix || port == 0 {
        return Err(error());
    }
    Ok(EgressRule {
        cidr: cidr.to_string(),
        port,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Toleration {
    pub key: String,
    pub value: Option<String>,
    pub effect: String,
}

pub fn toleration(text: &str) -> Result<Toleration, String> {
    let error = || {
        format!(
            "`{text}` is not a toleration: expected \"<key>=<value>:<Effect>\" with Effect NoSchedule, PreferNoSchedule or NoExecute"
        )
    };
    let (selector, effect) = text.rsplit_once(':').ok_or_else(error)?;
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        return Err(error());
    }
    let (key, value) = match selector.split_once('=') {
        Some((key, value)) => (key, Some(value.to_string())),
        None => (selector, None),
    };
    if label_key(key).is_err() || value.as_deref().is_some_and(|v| label_value(v).is_err()) {
        return Err(error());
    }
    Ok(Toleration {
        key: key.to_string(),
        value,
        effect: effect.to_string(),
    })
}

/// `"N%"` → N, for disruption budgets.
pub fn percent_text(text: &str) -> Result<u32, String> {
    text.strip_suffix('%')
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n <= 100)
        .ok_or_else(|| format!("`{text}` is not an integer or a percentage such as \"50%\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_to_base_units() {
        assert_eq!(quantity("250m").unwrap().value, 0.25);
        assert_eq!(quantity("0.5").unwrap().value, 0.5);
        assert_eq!(quantity("2").unwrap().value, 2.0);
        assert_eq!(quantity("512Mi").unwrap().value, 536_870_912.0);
        assert_eq!(quantity("1G").unwrap().value, 1e9);
        for bad in ["250x", "", "Mi", "1.2.3", ".5", "-1", "1 Gi"] {
            assert!(quantity(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(duration("200ms").unwrap().millis, 200);
        assert_eq!(duration("5m").unwrap().text(), "5m");
        assert_eq!(duration("60s").unwrap().text(), "1m");
        assert_eq!(duration("30d").unwrap().text(), "30d");
        for bad in ["5", "m", "1.5h", "0s", "5w", "-1m"] {
            assert!(duration(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn names_follow_dns_1035() {
        assert!(name("bloom-validator").is_ok());
        for bad in ["Web", "1web", "web-", "we_b", "", &"a".repeat(64)] {
            assert!(name(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn labels_follow_kubernetes() {
        assert!(label_key("node.kubernetes.io/lifecycle").is_ok());
        assert!(label_key("cost-center").is_ok());
        assert!(label_key("-bad").is_err());
        assert!(label_value("azora-sre").is_ok());
        assert!(label_value("").is_ok());
        assert!(label_value("has space").is_err());
    }

    #[test]
    fn refs_rules_and_tolerations() {
        assert_eq!(
            secret_ref("jwt-secret/secret").unwrap(),
            SecretRef {
                name: "jwt-secret".into(),
                key: "secret".into()
            }
        );
        assert!(secret_ref("no-slash").is_err());
        assert!(secret_ref("Bad/key").is_err());
        assert_eq!(
            egress_rule("0.0.0.0/0:443").unwrap(),
            EgressRule {
                cidr: "0.0.0.0/0".into(),
                port: 443
            }
        );
        assert!(egress_rule("10.0.0.0/33:443").is_err());
        assert!(egress_rule("0.0.0.0/0").is_err());
        assert!(egress_rule("::/0:443").is_ok());
        let toleration = toleration("spot=true:NoSchedule").unwrap();
        assert_eq!(
            (
                toleration.key.as_str(),
                toleration.value.as_deref(),
                toleration.effect.as_str()
            ),
            ("spot", Some("true"), "NoSchedule")
        );
        assert!(super::toleration("spot=true:Never").is_err());
        assert!(env_name("DATABASE_URL").is_ok());
        assert!(env_name("1X").is_err());
        assert_eq!(percent_text("50%"), Ok(50));
        assert!(percent_text("50").is_err());
    }

    #[test]
    fn invalid_quantities_get_the_likely_meant_one() {
        assert_eq!(quantity_hint("512mb").as_deref(), Some("512Mi"));
        assert_eq!(quantity_hint("1 GB").as_deref(), Some("1Gi"));
        assert_eq!(quantity_hint("2gib").as_deref(), Some("2Gi"));
        assert_eq!(
            quantity_hint("250 m").as_deref(),
            Some("250m"),
            "millicores keep their m"
        );
        assert_eq!(quantity_hint("lots"), None);
        assert_eq!(quantity_hint("512Mi"), None, "a valid quantity needs no hint");
    }
}
